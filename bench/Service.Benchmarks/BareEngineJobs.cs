using System.Diagnostics;
using BackpropService.Engine;

namespace BackpropService.Service.Benchmarks;

/// <summary>
/// The mnist-like job on the bare engine in this process: alone, or several sessions on threads of their own released
/// together, as the service's worker runs concurrent jobs. TrainingSession.Run registers with EngineThreading, so two
/// sessions here share the cores exactly as two jobs in the service do (processors / running sessions threads each).
/// </summary>
internal static class BareEngineJobs
{
    /// <summary>One session alone, and the CPU time this process used for it (intra-op pool threads included).</summary>
    public static (JobSpan Span, double CpuMilliseconds) RunAlone(TrainingData data, int epochs, bool gradientNorms)
    {
        var network = MnistLikeJob.CreateNetwork();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var span = Train(network, data, epochs, gradientNorms);
        return (span, (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds);
    }

    /// <summary><paramref name="count"/> sessions started at the same moment, each on its own thread and its own copy of
    /// the data (the service's jobs each load theirs from the database).</summary>
    public static JobSpan[] RunTogether(TrainingData data, int epochs, int count, bool gradientNorms)
    {
        var spans = new JobSpan[count];
        var errors = new Exception?[count];
        using var start = new Barrier(count);
        var threads = Enumerable.Range(0, count).Select(i =>
        {
            var network = MnistLikeJob.CreateNetwork();
            var copy = data with { Features = (float[])data.Features.Clone(), Targets = (float[])data.Targets.Clone() };
            return new Thread(() =>
            {
                try
                {
                    start.SignalAndWait();
                    spans[i] = Train(network, copy, epochs, gradientNorms);
                }
                catch (Exception ex) { errors[i] = ex; }
            }) { Name = $"bare session {i}" };
        }).ToArray();
        foreach (var thread in threads) thread.Start();
        foreach (var thread in threads) thread.Join();
        if (errors.FirstOrDefault(e => e is not null) is { } error) throw new InvalidOperationException("A concurrent bare session failed.", error);
        return spans;
    }

    // As the XOR bare path: the clock covers TrainingSession.Start (parameter init) and Run, as a job's startedAt →
    // finishedAt covers its set-up and training. The callback keeps the last cost to check both sides trained alike.
    private static JobSpan Train(Network network, TrainingData data, int epochs, bool gradientNorms)
    {
        var cost = double.NaN;
        var started = DateTimeOffset.UtcNow;
        var session = TrainingSession.Start(network, data, MnistLikeJob.Settings(epochs, gradientNorms));
        var outcome = session.Run(report => cost = report.Cost, CancellationToken.None);
        var finished = DateTimeOffset.UtcNow;
        if (outcome is not TrainingOutcome.Completed || session.EpochsCompleted != epochs)
            throw new InvalidOperationException($"The bare run ended {outcome} after {session.EpochsCompleted} epochs.");
        return new JobSpan(started, finished, cost);
    }
}
