using System.Numerics;

namespace BackpropService.Engine.Ops;

/// <summary>y = x^p for a constant exponent p; dy/dx = p·x^(p−1).</summary>
internal sealed class PowOp<T>(double exponent) : UnaryOp<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T _p = T.CreateChecked(exponent);

    protected override void Apply(ReadOnlySpan<T> x, Span<T> y)
    {
        for (var i = 0; i < x.Length; i++) y[i] = T.Pow(x[i], _p);
    }

    protected override void Derivative(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> derivative)
    {
        for (var i = 0; i < x.Length; i++) derivative[i] = _p * T.Pow(x[i], _p - T.One);
    }
}
