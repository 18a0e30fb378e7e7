import { render } from 'preact';
import { App } from './app';
import { readPageConfig } from './config';
import './styles.css';

const root = document.getElementById('app');
if (!root) throw new Error('index.html has no element with id "app" to render the page into');
render(<App config={readPageConfig(window.location.search)} />, root);
