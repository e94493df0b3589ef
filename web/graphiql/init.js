// Mounts GraphiQL on /graphql.  Put your key in the Headers tab:
//   {"Authorization": "ApiKey thk_..."}
(function () {
  "use strict";
  var fetcher = GraphiQL.createFetcher({ url: "/graphql" });
  var defaultQuery = [
    "# Trailhound GraphQL. Add your API key in Headers:",
    '#   {"Authorization": "ApiKey thk_..."}',
    "query Search {",
    '  search(type: EC2_INSTANCE, text: "i-", first: 5) {',
    "    totalCount",
    "    edges { node { key displayName firstSeen lastSeen } }",
    "    examples { key }",
    "  }",
    "}",
    "",
  ].join("\n");
  var root = ReactDOM.createRoot(document.getElementById("graphiql"));
  root.render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultQuery: defaultQuery,
      defaultEditorToolsVisibility: "headers",
      shouldPersistHeaders: false,
    })
  );
})();
