#!/usr/bin/env -S npx tsx
// The CDK app: `-c mesh=<flavor>` (the library's MESH_FLAVORS; default service-connect), `-c topology=<file>`.
import { loadTopology } from '@color-teller/topology/load';
import { App } from 'aws-cdk-lib';
import { DEFAULT_TOPOLOGY_FILE, REPOSITORY_ROOT, buildColorTellerApp } from '../lib/app';

const app = new App();
const file = app.node.tryGetContext('topology') as string | undefined;
// A file given on the command line is relative to where the command runs.
const topology = file
  ? await loadTopology(file, process.cwd())
  : await loadTopology(DEFAULT_TOPOLOGY_FILE, REPOSITORY_ROOT);
buildColorTellerApp({ app, topology });
