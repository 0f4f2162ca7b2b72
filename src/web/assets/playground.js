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

  if (
    typeof window.React === 'undefined' ||
    typeof window.ReactDOM === 'undefined' ||
    typeof window.GraphiQL === 'undefined'
  ) {
    root.textContent = 'GraphiQL could not load its scripts. The API itself is at POST ' + settings.endpoint + '.';
    return;
  }

  var url = new URL(settings.endpoint, window.location.href).toString();
  var KEY_STORAGE = 'billgraph:apiKey';
  var keyForm = document.getElementById('billgraph-key');
  var keyInput = document.getElementById('billgraph-key-input');
  function storedKey() {
    try {
      return window.sessionStorage.getItem(KEY_STORAGE);
    } catch {
      return null;
    }
  }
  // With tenants every request needs the key: ask for it before GraphiQL introspects.
  if (settings.requiresKey && !storedKey()) {
    keyForm.hidden = false;
    keyForm.addEventListener('submit', function (event) {
      event.preventDefault();
      try {
        window.sessionStorage.setItem(KEY_STORAGE, keyInput.value);
      } catch {
        /* storage disabled: the key lives until reload */
      }
      keyForm.hidden = true;
      start(keyInput.value);
    });
    return;
  }
  start(storedKey());

  function start(key) {
    var headers = settings.requiresKey && key ? { authorization: 'Bearer ' + key } : {};
    var baseFetcher = window.GraphiQL.createFetcher({ url: url, headers: headers });
    // A rejected key (401) forgets it and asks again rather than failing every query.
    var fetcher = function (params, options) {
      var result = baseFetcher(params, options);
      if (settings.requiresKey && result && typeof result.then === 'function') {
        result.then(
          function (value) {
            var code =
              value && value.errors && value.errors[0] && value.errors[0].extensions && value.errors[0].extensions.code;
            if (code === 'UNAUTHENTICATED') {
              try {
                window.sessionStorage.removeItem(KEY_STORAGE);
              } catch {
                /* ignore */
              }
              showBanner('The API key was refused. Reload the page to enter another one.');
            }
          },
          function () {},
        );
      }
      return result;
    };
    var props = {
      fetcher: fetcher,
      defaultQuery: settings.query,
      defaultEditorToolsVisibility: 'variables',
      shouldPersistHeaders: false,
    };
    // First visit (nothing saved yet): open on the example with its window variable. Later visits
    // get the tabs GraphiQL saved in localStorage.
    var saved;
    try {
      saved = window.localStorage.getItem('graphiql:tabState');
    } catch {
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
  }
})();
