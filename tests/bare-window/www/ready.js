// An external file, not an inline script: the CSP is the real app's (script-src 'self').
window.addEventListener('load', () => {
  window.__TAURI_INTERNALS__.invoke('ready');
});
