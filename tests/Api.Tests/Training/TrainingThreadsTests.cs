using BackpropService.Api.Training;

namespace BackpropService.Api.Tests.Training;

/// <summary>
/// Training threads are reused: a run handed while a thread is idle goes to that thread, a run handed while all are busy
/// gets a new one, an idle thread exits after its idle lifetime, and every run runs once in its caller's context.
/// </summary>
public sealed class TrainingThreadsTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task ARunHandedWhileAThreadIsIdleRunsOnThatThread()
    {
        var threads = new TrainingThreads(TimeSpan.FromMinutes(5)); // not the process's: other tests' jobs train beside this one
        var first = await RunAsync(threads);
        Assert.True(SpinWait.SpinUntil(() => threads.IdleThreads == 1, Patience), "the first run's thread never went idle");
        var second = await RunAsync(threads);
        Assert.Same(first, second);
        Assert.Equal("training", second.Name);
    }

    [Fact]
    public async Task ARunHandedWhileEveryThreadIsBusyGetsANewThread()
    {
        var threads = new TrainingThreads(TimeSpan.FromMinutes(5));
        using var release = new ManualResetEventSlim();
        var busy = new TaskCompletionSource<Thread>(TaskCreationOptions.RunContinuationsAsynchronously);
        threads.Run(() =>
        {
            busy.SetResult(Thread.CurrentThread);
            release.Wait();
        });
        var held = await busy.Task.WaitAsync(Patience);
        var other = await RunAsync(threads);
        release.Set();
        Assert.NotSame(held, other);
    }

    [Fact]
    public async Task AnIdleThreadExitsAfterItsIdleLifetimeAndTheNextRunGetsANewOne()
    {
        var threads = new TrainingThreads(TimeSpan.FromMilliseconds(50));
        var first = await RunAsync(threads);
        Assert.True(first.Join(Patience), "the idle thread never exited");
        Assert.Equal(0, threads.IdleThreads);
        var second = await RunAsync(threads);
        Assert.NotSame(first, second);
    }

    [Fact]
    public async Task RunsHandedAtOnceFromManyThreadsEachRunOnceInTheirCallersContext()
    {
        var threads = new TrainingThreads(TimeSpan.FromMinutes(5));
        var caller = new AsyncLocal<int>();
        const int runs = 200;
        var seen = new int[runs];
        var contexts = new int[runs];
        using var done = new CountdownEvent(runs);
        await Task.WhenAll(Enumerable.Range(0, 8).Select(c => Task.Run(() =>
        {
            for (var i = c; i < runs; i += 8)
            {
                caller.Value = i + 1;
                var index = i;
                threads.Run(() =>
                {
                    Interlocked.Increment(ref seen[index]);
                    contexts[index] = caller.Value;
                    done.Signal();
                });
            }
        })));
        Assert.True(done.Wait(Patience), $"{done.CurrentCount} runs never ran");
        Assert.All(seen, count => Assert.Equal(1, count));
        Assert.Equal(Enumerable.Range(1, runs), contexts);
    }

    /// <summary>Hands over a run that records its thread, and waits for it.</summary>
    private static async Task<Thread> RunAsync(TrainingThreads threads)
    {
        var ran = new TaskCompletionSource<Thread>(TaskCreationOptions.RunContinuationsAsynchronously);
        threads.Run(() => ran.SetResult(Thread.CurrentThread));
        return await ran.Task.WaitAsync(Patience);
    }
}
