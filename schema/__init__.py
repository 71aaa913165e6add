"""The GraphQL schema: strawberry types, inputs, resolvers, loaders and limits."""
