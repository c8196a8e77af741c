using System.Numerics;
using BackpropService.Engine.Graphs;

namespace BackpropService.Engine.Ops;

/// <summary>Op name → kind, arity and shape rule: the one table the JSON validation, the docs and the tests read.</summary>
internal static class OpRegistry
{
    private static readonly OpInfo[] All =
    [
        new("input", OpKind.Input, 0, null),
        new("target", OpKind.Target, 0, null),
        new("parameter", OpKind.Parameter, 0, null),
        new("constant", OpKind.Constant, 0, null),
        new("add", OpKind.Compute, 2, ShapeRules.Broadcasting),
        new("sub", OpKind.Compute, 2, ShapeRules.Broadcasting),
        new("mul", OpKind.Compute, 2, ShapeRules.Broadcasting),
        new("div", OpKind.Compute, 2, ShapeRules.Broadcasting),
        new("neg", OpKind.Compute, 1, ShapeRules.Same),
        new("matmul", OpKind.Compute, 2, ShapeRules.MatrixProduct),
        new("square", OpKind.Compute, 1, ShapeRules.Same),
        new("pow", OpKind.Compute, 1, ShapeRules.Same),
        new("exp", OpKind.Compute, 1, ShapeRules.Same),
        new("log", OpKind.Compute, 1, ShapeRules.Same),
        new("sin", OpKind.Compute, 1, ShapeRules.Same),
        new("cos", OpKind.Compute, 1, ShapeRules.Same),
        new("tanh", OpKind.Compute, 1, ShapeRules.Same),
        new("sigmoid", OpKind.Compute, 1, ShapeRules.Same),
        new("relu", OpKind.Compute, 1, ShapeRules.Same),
        new("leaky_relu", OpKind.Compute, 1, ShapeRules.Same),
        new("softmax", OpKind.Compute, 1, ShapeRules.RowWise),
        new("sum", OpKind.Compute, 1, ShapeRules.Reduction),
        new("mean", OpKind.Compute, 1, ShapeRules.Reduction),
        new("binary_cross_entropy", OpKind.Loss, 2, ShapeRules.Loss),
        new("cross_entropy", OpKind.Loss, 2, ShapeRules.Loss),
        new("mse", OpKind.Loss, 2, ShapeRules.Loss),
    ];

    private static readonly Dictionary<string, OpInfo> ByName = All.ToDictionary(op => op.Name, StringComparer.Ordinal);

    public static IReadOnlyList<string> Names { get; } = All.Select(op => op.Name).ToArray();

    public static bool TryGet(string name, out OpInfo info) => ByName.TryGetValue(name, out info!);

    public static OpInfo Get(string name) => ByName[name];

    /// <summary>A fresh instance of a computing op for one node of one plan.</summary>
    public static Op<T> Create<T>(NodeDefinition node) where T : unmanaged, IFloatingPointIeee754<T> => node.Op switch
    {
        "add" => new AddOp<T>(),
        "sub" => new SubOp<T>(),
        "mul" => new MulOp<T>(),
        "div" => new DivOp<T>(),
        "neg" => new NegOp<T>(),
        "matmul" => new MatMulOp<T>(),
        "square" => new SquareOp<T>(),
        "pow" => new PowOp<T>(node.Exponent ?? throw new ArgumentException($"Node '{node.Id}' (pow) needs an exponent.")),
        "exp" => new ExpOp<T>(),
        "log" => new LogOp<T>(),
        "sin" => new SinOp<T>(),
        "cos" => new CosOp<T>(),
        "tanh" => new TanhOp<T>(),
        "sigmoid" => new SigmoidOp<T>(),
        "relu" => new ReluOp<T>(),
        "leaky_relu" => new LeakyReluOp<T>(node.Alpha ?? LeakyReluOp<T>.DefaultAlpha),
        "softmax" => new SoftmaxOp<T>(),
        "sum" => new SumOp<T>(),
        "mean" => new MeanOp<T>(),
        "binary_cross_entropy" => new BinaryCrossEntropyOp<T>(),
        "cross_entropy" => new CrossEntropyOp<T>(),
        "mse" => new MseOp<T>(),
        _ => throw new ArgumentException($"Node '{node.Id}': op '{node.Op}' does not compute a value."),
    };
}
