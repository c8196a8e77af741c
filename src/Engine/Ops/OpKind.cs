namespace BackpropService.Engine.Ops;

/// <summary>What a node is: a leaf whose value comes from outside (input, target, parameter, constant) or a computation.</summary>
internal enum OpKind { Input, Target, Parameter, Constant, Compute, Loss }
