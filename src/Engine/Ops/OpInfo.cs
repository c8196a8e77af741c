namespace BackpropService.Engine.Ops;

/// <summary>What the graph builder knows of an op: its kind, how many operands it takes, and its shape rule.</summary>
internal sealed record OpInfo(string Name, OpKind Kind, int Arity, Func<Shape[], Shape>? OutputShape);
