// History navigation under /ui/: the server answers index.html for every page address (WebUi's fallback).

/** Goes to a page of the UI without reloading. */
export function navigate(path) {
  if (path !== location.pathname + location.search) history.pushState(null, '', path);
  dispatchEvent(new PopStateEvent('popstate'));
}

// Links inside the app are ordinary <a href="/ui/…">; plain left clicks become history navigation.
document.addEventListener('click', (e) => {
  const a = e.target.closest && e.target.closest('a[href^="/ui/"]');
  if (!a || a.target || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  e.preventDefault();
  navigate(a.getAttribute('href'));
});
