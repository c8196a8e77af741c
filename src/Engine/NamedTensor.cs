namespace BackpropService.Engine;

/// <summary>A parameter's values by name: <c>layers.{i}.weights</c>, <c>layers.{i}.bias</c>, or a parameter node's id.</summary>
public sealed record NamedTensor(string Name, TensorData Value);
