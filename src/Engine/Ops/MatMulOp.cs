using System.Numerics;
using BackpropService.Engine.Graphs;
using BackpropService.Engine.Kernels;

namespace BackpropService.Engine.Ops;

/// <summary>"matmul": a vector or matrix times a matrix; unrolled as a partial-sum chain of products per element.</summary>
internal sealed class MatMulOp() : OpDefinition("matmul", 100, 2, OutputShapeOf)
{
    public override Op<T> Create<T>(NodeDefinition node) => new MatMulOp<T>();

    public override string[] Unroll(GraphUnroller unroller, NodeDefinition node, Shape shape, UnrolledOperand[] operands)
    {
        var (a, b) = (operands[0], operands[1]);
        var ids = new string[shape.Length];
        var inner = a.Shape.Cols;
        for (var k = 0; k < ids.Length; k++)
        {
            var (i, j) = (k / shape.Cols, k % shape.Cols);
            ids[k] = GraphUnroller.ElementId(node.Id, shape, k);
            var products = new string[inner];
            for (var p = 0; p < inner; p++)
            {
                products[p] = inner == 1 ? ids[k] : $"{ids[k]}*{p}";
                unroller.Add(new NodeDefinition { Id = products[p], Op = "mul", Inputs = [a.Ids[i * inner + p], b.Ids[p * b.Shape.Cols + j]] });
            }
            if (inner > 1) unroller.SumChain(ids[k], products);
        }
        return ids;
    }

    private static Shape OutputShapeOf(Shape[] inputs)
    {
        var (a, b) = (inputs[0], inputs[1]);
        if (a.Rank == 0 || b.Rank != 2)
            throw new ArgumentException($"matmul needs a vector or matrix times a matrix; got {a} · {b}.");
        if (a.Cols != b.Rows)
            throw new ArgumentException($"matmul inner dimensions differ: {a} · {b} ({a.Cols} ≠ {b.Rows}).");
        return a.Rank == 1 ? Shape.Vector(b.Cols) : Shape.Matrix(a.Rows, b.Cols);
    }
}

/// <summary>Y = A·B for A [m, k] (a vector is one row) and B [k, n]; dA = dY·Bᵀ, dB = Aᵀ·dY.</summary>
internal sealed class MatMulOp<T> : Op<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public override void Forward(Tensor<T>[] inputs, Tensor<T> output)
    {
        var (a, b) = (inputs[0], inputs[1]);
        MatMul.Multiply<T>(a.Data, b.Data, output.Data, a.Shape.Rows, a.Shape.Cols, b.Shape.Cols);
    }

    public override void Backward(Tensor<T>[] inputs, Tensor<T> output, Tensor<T> outputGrad, Tensor<T>?[] inputGrads)
    {
        var (a, b) = (inputs[0], inputs[1]);
        int m = a.Shape.Rows, k = a.Shape.Cols, n = b.Shape.Cols;
        if (inputGrads[0] is { } gradA) MatMul.MultiplyTransposedBAccumulate<T>(outputGrad.Data, b.Data, gradA.Data, m, n, k);
        if (inputGrads[1] is { } gradB) MatMul.MultiplyTransposedAAccumulate<T>(a.Data, outputGrad.Data, gradB.Data, m, k, n);
    }
}
