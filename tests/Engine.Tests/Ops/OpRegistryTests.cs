using System.Reflection;
using BackpropService.Engine.Ops;

namespace BackpropService.Engine.Tests.Ops;

public class OpRegistryTests
{
    [Fact]
    public void EveryComputingOpHasItsOwnTestClass()
    {
        var testClasses = Assembly.GetExecutingAssembly().GetTypes().Select(t => t.Name).ToHashSet();
        var missing = OpRegistry.Names
            .Where(name => OpRegistry.Get(name).Kind is OpKind.Compute or OpKind.Loss)
            .Select(name => OpRegistry.Create<double>(new() { Id = name, Op = name, Exponent = 2 }).GetType().Name.Split('`')[0] + "Tests")
            .Where(name => !testClasses.Contains(name))
            .ToArray();
        Assert.Empty(missing);
    }

    [Fact]
    public void TheContractsOpsAreAllRegistered() => Assert.Equal(
        ["input", "target", "parameter", "constant", "add", "sub", "mul", "div", "neg", "matmul", "square", "pow", "exp", "log", "sin",
         "cos", "tanh", "sigmoid", "relu", "leaky_relu", "softmax", "sum", "mean", "binary_cross_entropy", "cross_entropy", "mse"],
        OpRegistry.Names);
}
