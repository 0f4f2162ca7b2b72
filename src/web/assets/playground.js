// billgraph's GraphiQL bootstrap. Loaded after React, ReactDOM and GraphiQL's UMD builds;
// reads its settings from the page's JSON data block (no inline script: the CSP forbids it).
(function () {
  'use strict';
  var settings = JSON.parse(document.getElementById('billgraph-playground-settings').textContent);
  var root = document.getElementById('graphiql');
  var banner = document.getElementById('billgraph-banner');

  function showBanner(text) {
    banner.textContent = text;
    banner.hidden = false;
  }

  if (typeof window.React === 'undefined' || typeof window.ReactDOM === 'undefined' || typeof window.GraphiQL === 'undefined') {
    root.textContent = 'GraphiQL could not load its scripts. The API itself is at POST ' + settings.endpoint + '.';
    return;
  }

  var url = new URL(settings.endpoint, window.location.href).toString();
  var fetcher = window.GraphiQL.createFetcher({ url: url });
  var props = {
    fetcher: fetcher,
    defaultQuery: settings.query,
    defaultEditorToolsVisibility: 'variables',
    shouldPersistHeaders: false,
  };
  // First visit (nothing saved yet): open on the example with its window variable. Later visits
  // get the tabs GraphiQL saved in localStorage.
  var saved = null;
  try {
    saved = window.localStorage.getItem('graphiql:tabState');
  } catch (e) {
    saved = null;
  }
  if (!saved) {
    props.query = settings.query;
    props.variables = settings.variables;
  }

  if (!settings.introspection) {
    // Without a schema GraphiQL would try (and fail) to introspect: give it none and say why.
    props.schema = null;
    showBanner(
      'Introspection is turned off on this server (configuration "introspection": false), so the Docs explorer, ' +
        'autocompletion and validation are unavailable here. Queries still run: type one and press ▶.',
    );
  }

  ReactDOM.createRoot(root).render(React.createElement(window.GraphiQL, props));
})();
