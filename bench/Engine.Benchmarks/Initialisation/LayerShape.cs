namespace BackpropService.Engine.Benchmarks.Initialisation;

/// <summary>One dense layer as an initialiser sees it: weights [FanIn, FanOut], its activation, and whether it is the last.</summary>
internal sealed record LayerShape(int FanIn, int FanOut, string Activation, bool IsLast);
