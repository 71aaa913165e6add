"""permitpath's web layer: settings, the Starlette app, GraphQL over HTTP, the solve runner and the CLI."""
