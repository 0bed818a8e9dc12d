import { mount } from 'svelte';
import { createApi } from '../src-preload/contract';
import { wsTransport } from '../src-preload/ws-transport';
import App from './App.svelte';
import './styles.css';

// Electron's preload provides window.api; in browser mode the renderer builds it over a
// WebSocket to the page's own server (ws://<host>/api), with the same contract checks.
if (!window.api) window.api = createApi(wsTransport());

const target = document.getElementById('app');
if (!target) throw new Error('index.html lacks #app');
mount(App, { target });
