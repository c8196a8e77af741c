using System.Collections;
using BackpropService.Api.Infrastructure;
using BackpropService.Api.Jobs;
using BackpropService.Engine;

namespace BackpropService.Api.Training;

/// <summary>
/// Epoch reports read as the contract's history points, mapped one by one while the message is serialised. An
/// <c>epochs</c> message of 10,000 points copied into a list would be a 400 KB large-object allocation per message.
/// </summary>
public sealed class EpochPointsView(ArraySegment<EpochReport> reports) : IReadOnlyList<HistoryPoint>
{
    public int Count => reports.Count;

    public HistoryPoint this[int index] => ToPoint(reports[index]);

    public IEnumerator<HistoryPoint> GetEnumerator()
    {
        foreach (var report in reports) yield return ToPoint(report);
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private static HistoryPoint ToPoint(EpochReport report) =>
        new(report.Epoch, Finite.OrNull(report.Cost), Finite.OrNull(report.ValidationCost), report.Accuracy, report.ValidationAccuracy,
            GradientNormsView.Of(report.GradientNorms?.Names, report.GradientNorms?.Values));
}
