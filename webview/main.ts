// Panel entry point: wire the host's messages to the panel, say we are ready.
import type { HostToPanel } from '../core/protocol';
import { Panel } from './panel';
import { watchTheme } from './theme';
import { post } from './vscodeApi';

const panel = new Panel(document.getElementById('app') ?? document.body);
window.addEventListener('message', (event: MessageEvent<HostToPanel>) => panel.handle(event.data));
watchTheme(() => panel.themeChanged());
post({ type: 'ready' });
