"""The ECS contract shared by the write side (indexers) and the read side (resolvers)."""
