namespace BackpropService.Engine.Ops;

// The leaves: nodes whose value comes from outside the computation. They have no shape rule and nothing to create.

/// <summary>"input": a batch of features, fed per step.</summary>
internal sealed class InputOp() : OpDefinition("input", 10, 0, null, OpKind.Input);

/// <summary>"target": a batch of targets, fed per step; a loss consumes it.</summary>
internal sealed class TargetOp() : OpDefinition("target", 20, 0, null, OpKind.Target);

/// <summary>"parameter": a trained tensor, from its 'value' or its 'shape' and 'init'.</summary>
internal sealed class ParameterOp() : OpDefinition("parameter", 30, 0, null, OpKind.Parameter);

/// <summary>"constant": a fixed tensor, its 'value'.</summary>
internal sealed class ConstantOp() : OpDefinition("constant", 40, 0, null, OpKind.Constant);
