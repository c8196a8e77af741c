using BackpropService.Persistence.Entities;

namespace BackpropService.Api.Jobs.Admission;

/// <summary>
/// One checked job waiting for the admission writer: its rows (inline network or dataset first, then the job, then
/// a warm start's copied weights) and whose queue places it takes. Completed once its batch has committed.
/// </summary>
public sealed class JobAdmission(TrainingJob job, IReadOnlyList<object> rows, string owner, bool ownerScoped)
{
    private readonly TaskCompletionSource<AdmissionResult> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TrainingJob Job => job;
    public IReadOnlyList<object> Rows => rows;

    /// <summary>The caller's owner ("" when API keys are off).</summary>
    public string Owner => owner;

    /// <summary>Whether the per-owner queue limit counts this owner's places apart from everyone's (API keys on).</summary>
    public bool OwnerScoped => ownerScoped;

    public Task<AdmissionResult> Result => _done.Task;

    internal void Complete(AdmissionResult result) => _done.TrySetResult(result);

    internal void Fail(Exception exception) => _done.TrySetException(exception);
}

public enum AdmissionVerdict
{
    /// <summary>Committed: queued at <see cref="AdmissionResult.Position"/> (null: a bounded sweep waits, walk the queue).</summary>
    Admitted,

    /// <summary>A queue limit is reached (<see cref="AdmissionResult.Detail"/> says which); nothing stored.</summary>
    QueueFull,

    /// <summary>A job of this owner already carries the Idempotency-Key (a racing duplicate); nothing stored.</summary>
    DuplicateKey,

    /// <summary>The network or dataset was deleted after the request read it; nothing stored.</summary>
    MissingParts,
}

public readonly record struct AdmissionResult(AdmissionVerdict Verdict, int? Position = null, string? Detail = null);
