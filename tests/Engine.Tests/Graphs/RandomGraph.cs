using BackpropService.Engine.Graphs;

namespace BackpropService.Engine.Tests.Graphs;

/// <summary>
/// Seeded random graphs over matrix, bias-vector, column and scalar parameters, mixing every op family, with shared
/// subexpressions (operands drawn from the whole pool, so a node often has several consumers, and some nodes use the
/// same operand twice). Each node tracks a bound on its magnitude; ops that would exceed it are not drawn, and
/// log/div/pow only see operands made positive (0.5 + σ(q)), so a sample never sits on a domain edge or overflows.
/// Every sink is weighted and summed into the scalar <c>root</c>.
/// </summary>
internal sealed class RandomGraph
{
    private const double MaxBound = 50;
    private static readonly string[] Squashing = ["tanh", "sigmoid", "sin", "cos"];
    private static readonly string[] Growing = ["neg", "square", "exp", "relu", "leaky_relu"];
    private static readonly string[] Binary = ["add", "sub", "mul"];

    private readonly Random _random;
    private readonly List<NodeDefinition> _nodes = [];
    private readonly List<(string Id, int[] Shape, double Bound)> _pool = [];
    private readonly Dictionary<string, int> _consumers = [];
    private int _next;

    private RandomGraph(int seed) => _random = new Random(seed);

    public static GraphDefinition Create(int seed, int operations = 14)
    {
        var graph = new RandomGraph(seed);
        graph.Leaf("x", [3, 4]);
        graph.Leaf("bias", [4]);
        graph.Leaf("col", [3, 1]);
        graph.Leaf("s", []);
        graph.Leaf("w", [4, 4]);
        var forcedSelfUse = graph._random.Next(operations);
        for (var k = 0; k < operations; k++)
        {
            if (k == forcedSelfUse) graph.SelfProduct();
            else graph.Step();
        }
        return graph.Finish();
    }

    private void Leaf(string id, int[] shape)
    {
        _nodes.Add(Nodes.Parameter(id, Nodes.Random(_random, shape, 0.2, 1.2, signed: true)));
        if (id != "w") _pool.Add((id, shape, 1.2)); // w only enters through matmul
    }

    private void Step()
    {
        while (true)
        {
            var pick = _random.Next(12);
            var operand = Pick();
            var added = pick switch
            {
                < 2 => Add(Squashing[_random.Next(Squashing.Length)], [operand.Id], operand.Shape, 1.0),
                < 4 => Growing[_random.Next(Growing.Length)] switch
                {
                    "square" => Add("square", [operand.Id], operand.Shape, operand.Bound * operand.Bound),
                    "exp" => Add("exp", [operand.Id], operand.Shape, Math.Exp(operand.Bound)),
                    var op => Add(op, [operand.Id], operand.Shape, operand.Bound),
                },
                < 7 => BinaryStep(operand),
                7 => Positive(operand, "log"),
                8 => Positive(operand, "div"),
                9 => Positive(operand, "pow"),
                10 when operand.Shape is [3, 4] or [4] => Add("matmul", [operand.Id, "w"], operand.Shape, operand.Bound * 4 * 1.2),
                11 when operand.Shape is [3, 4] or [4] => Add("softmax", [operand.Id], operand.Shape, 1.0),
                _ => false,
            };
            if (added) return;
        }
    }

    private bool BinaryStep((string Id, int[] Shape, double Bound) a)
    {
        var b = _random.Next(6) == 0 ? a : Pick();
        var op = Binary[_random.Next(Binary.Length)];
        var bound = op == "mul" ? a.Bound * b.Bound : a.Bound + b.Bound;
        return Add(op, [a.Id, b.Id], Broadcast(a.Shape, b.Shape), bound);
    }

    /// <summary>log q⁺, p / q⁺ or (q⁺)^e where q⁺ = 0.5 + σ(q) lies in (0.5, 1.5).</summary>
    private bool Positive((string Id, int[] Shape, double Bound) q, string op)
    {
        var other = Pick();
        var bound = op switch { "log" => 1.0, "div" => other.Bound * 2, _ => 3.0 };
        if (bound > MaxBound) return false;
        var sigmoid = NewId();
        _nodes.Add(Nodes.Op(sigmoid, "sigmoid", q.Id));
        var half = NewId();
        _nodes.Add(Nodes.Constant(half, 0.5));
        var positive = NewId();
        _nodes.Add(Nodes.Op(positive, "add", sigmoid, half));
        Count(q.Id); Count(sigmoid); Count(half);
        return op switch
        {
            "log" => Add("log", [positive], q.Shape, bound),
            "div" => Add("div", [other.Id, positive], Broadcast(other.Shape, q.Shape), bound),
            _ => Add(new NodeDefinition { Id = NewId(), Op = "pow", Inputs = [positive], Exponent = _random.Next(2) == 0 ? -1.5 : 2.5 },
                q.Shape, bound),
        };
    }

    /// <summary>q ⊙ q: one node using the same operand twice, so its gradient collects two contributions.</summary>
    private void SelfProduct()
    {
        var q = Pick();
        while (q.Bound * q.Bound > MaxBound) q = Pick();
        Add("mul", [q.Id, q.Id], q.Shape, q.Bound * q.Bound);
    }

    private bool Add(string op, string[] inputs, int[] shape, double bound) =>
        Add(new NodeDefinition { Id = NewId(), Op = op, Inputs = inputs }, shape, bound);

    private bool Add(NodeDefinition node, int[] shape, double bound)
    {
        if (bound > MaxBound) return false;
        _nodes.Add(node);
        foreach (var input in node.Inputs) Count(input);
        _pool.Add((node.Id, shape, bound));
        return true;
    }

    private GraphDefinition Finish()
    {
        var terms = new List<string>();
        foreach (var (id, shape, _) in _pool.Where(p => !_consumers.ContainsKey(p.Id)))
        {
            var weights = NewId();
            _nodes.Add(Nodes.Constant(weights, Nodes.Random(_random, shape, 0.5, 1.5, signed: true)));
            var product = NewId();
            _nodes.Add(Nodes.Op(product, "mul", id, weights));
            var total = NewId();
            _nodes.Add(Nodes.Op(total, "sum", product));
            terms.Add(total);
        }
        var root = terms[0];
        for (var k = 1; k < terms.Count; k++)
        {
            var sum = k == terms.Count - 1 ? "root" : NewId();
            _nodes.Add(Nodes.Op(sum, "add", root, terms[k]));
            root = sum;
        }
        if (terms.Count == 1) _nodes.Add(Nodes.Op("root", "mul", root, NewConstant(1.0)));
        return new GraphDefinition(_nodes, "root");
    }

    private string NewConstant(double value)
    {
        var id = NewId();
        _nodes.Add(Nodes.Constant(id, value));
        return id;
    }

    /// <summary>Recent nodes are likelier (deep chains), but any node can be picked again (shared subexpressions).</summary>
    private (string Id, int[] Shape, double Bound) Pick() =>
        _random.Next(2) == 0 ? _pool[_pool.Count - 1 - _random.Next(Math.Min(3, _pool.Count))] : _pool[_random.Next(_pool.Count)];

    private void Count(string id) => _consumers[id] = _consumers.GetValueOrDefault(id) + 1;

    private string NewId() => $"n{_next++}";

    private static int[] Broadcast(int[] a, int[] b)
    {
        Assert.True(BackpropService.Engine.Kernels.Broadcast.TryResultShape(Shape.FromDimensions(a), Shape.FromDimensions(b), out var result));
        return result.ToDimensions();
    }
}
