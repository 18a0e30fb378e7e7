import { bundleServer } from '@color-teller/service-kit/bundle-server';

await bundleServer(new URL('.', import.meta.url));
