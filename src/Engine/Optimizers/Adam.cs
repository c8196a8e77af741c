using System.Numerics;

namespace BackpropService.Engine.Optimizers;

/// <summary>
/// m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²; θ ← θ − η·m̂/(√v̂ + ε) with m̂ = m/(1−β₁ᵗ), v̂ = v/(1−β₂ᵗ) (PyTorch's form).
/// </summary>
internal sealed class Adam<T> : IOptimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    // β₁ and β₂ stay double for the bias corrections 1 − βᵗ; the update itself runs in T.
    private readonly double _beta1, _beta2;
    private T _rate;
    private readonly T _b1, _b2, _oneMinusB1, _oneMinusB2, _epsilon;

    public Adam(Tensor<T>[] parameters, double learningRate, double beta1, double beta2, double epsilon)
    {
        (_beta1, _beta2) = (beta1, beta2);
        (_rate, _b1, _b2, _epsilon) = (T.CreateChecked(learningRate), T.CreateChecked(beta1), T.CreateChecked(beta2), T.CreateChecked(epsilon));
        (_oneMinusB1, _oneMinusB2) = (T.One - _b1, T.One - _b2);
        // State: first moments of every parameter, then second moments.
        State = parameters.Select(p => new T[p.Length]).Concat(parameters.Select(p => new T[p.Length])).ToArray();
    }

    public double LearningRate { set => _rate = T.CreateChecked(value); }

    public T[][] State { get; }
    public long StepCount { get; set; }

    public void Step(Tensor<T>[] parameters, Tensor<T>[] gradients)
    {
        StepCount++;
        var (b1, b2, oneMinusB1, oneMinusB2, rate) = (_b1, _b2, _oneMinusB1, _oneMinusB2, _rate);
        var correction1 = T.CreateChecked(1 - Math.Pow(_beta1, StepCount));
        var sqrtCorrection2 = T.Sqrt(T.CreateChecked(1 - Math.Pow(_beta2, StepCount)));
        for (var i = 0; i < parameters.Length; i++)
        {
            var (theta, g) = (parameters[i].Data, gradients[i].Data);
            var (m, v) = (State[i], State[parameters.Length + i]);
            for (var k = 0; k < theta.Length; k++)
            {
                m[k] = b1 * m[k] + oneMinusB1 * g[k];
                v[k] = b2 * v[k] + oneMinusB2 * g[k] * g[k];
                theta[k] -= rate * (m[k] / correction1) / (T.Sqrt(v[k]) / sqrtCorrection2 + _epsilon);
            }
        }
    }
}
