using System.Linq.Expressions;
using BackpropService.Persistence.Entities;

namespace BackpropService.Api.Sweeps;

/// <summary>
/// The metrics a sweep ranks its trials by: the name, which way is better, and the trial's value read from its job
/// row: early stopping's <see cref="TrainingJob.BestMetric"/> when it ran (a sweep's metric and its trials' early
/// stopping metric agree, <see cref="SweepFactory"/> checks), else the final value. The one table: a new metric is one
/// line here.
/// </summary>
public sealed record SweepMetric(string Name, bool HigherIsBetter, Expression<Func<TrainingJob, double?>> Value)
{
    public static readonly IReadOnlyList<SweepMetric> All =
    [
        new("validationCost", HigherIsBetter: false, j => j.BestMetric ?? j.ValidationCost),
        new("cost", HigherIsBetter: false, j => j.BestMetric ?? j.Cost),
        // Early stopping watches a cost, never an accuracy: an accuracy is the last epoch's (null for an mse network).
        new("validationAccuracy", HigherIsBetter: true, j => j.ValidationAccuracy),
        new("accuracy", HigherIsBetter: true, j => j.Accuracy),
    ];

    /// <summary>Measured on the rows held out, so the trials need a validation split.</summary>
    public bool NeedsValidationRows => Name.StartsWith("validation", StringComparison.Ordinal);

    /// <summary>Early stopping's best value stands for the trial's value, so the two must watch the same metric.</summary>
    public bool IsEarlyStoppingMetric => !HigherIsBetter;

    /// <summary>The metric by its wire name, or null.</summary>
    public static SweepMetric? Named(string? name) => All.FirstOrDefault(m => m.Name == name);

    /// <summary><paramref name="map"/> applied to a job and its value, as one expression a query can translate.</summary>
    public Expression<Func<TrainingJob, TResult>> With<TResult>(Expression<Func<TrainingJob, double?, TResult>> map)
    {
        var job = Value.Parameters[0];
        var body = new Substitute(map.Parameters[0], job, map.Parameters[1], Value.Body).Visit(map.Body);
        return Expression.Lambda<Func<TrainingJob, TResult>>(body, job);
    }

    private sealed class Substitute(ParameterExpression job, Expression jobBy, ParameterExpression value, Expression valueBy) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) =>
            node == job ? jobBy : node == value ? valueBy : base.VisitParameter(node);
    }
}
