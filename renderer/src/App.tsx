/** The console's top-level component. A placeholder until the desktop issue brings the console. */
export function App() {
  const version = window.app?.version;
  return (
    <main className="placeholder">
      <h1>Switchyard</h1>
      <p>The operations console arrives with the desktop issue.</p>
      {version ? <p className="version">Desktop app {version}</p> : null}
    </main>
  );
}
