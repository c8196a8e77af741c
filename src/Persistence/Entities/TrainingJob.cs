namespace BackpropService.Persistence.Entities;

/// <summary>
/// A training job. The jobs table is the queue of record: a worker claims a row by writing a lease
/// (owner, expiry) and a fresh <see cref="AttemptToken"/>; every later write of that attempt is fenced by the token.
/// </summary>
public sealed class TrainingJob
{
    public required string Id { get; init; }
    public required string NetworkId { get; init; }
    public required string DatasetId { get; init; }
    public JobStatus Status { get; set; }

    /// <summary>The run's name: the network's name when created, then whatever PATCH sets.</summary>
    public string? Name { get; set; }

    /// <summary>Free text the user attached to the run; null when none.</summary>
    public string? Notes { get; set; }

    /// <summary>
    /// The run's tags, each between line feeds ("\na\nb\n"; "" for none). NOTE: tags cannot contain a line feed
    /// (control characters are rejected), so "has tag t" is a substring test for "\nt\n" that every provider translates.
    /// </summary>
    public string Tags { get; set; } = "";
    public int Epochs { get; init; }

    /// <summary>Hyperparameters (optimizer, learning rate, batch size, seed, ...) as JSON.</summary>
    public required string SettingsJson { get; init; }

    /// <summary>When admitted; the claim order (with <see cref="Id"/> for ties). Set by the admission writer, in commit order.</summary>
    public DateTime CreatedAt { get; set; }
    public DateTime? StartedAt { get; set; }
    public DateTime? FinishedAt { get; set; }
    public string? Error { get; set; }

    public string? LeaseOwner { get; set; }
    public DateTime? LeaseExpiresAt { get; set; }
    public string? AttemptToken { get; set; }
    public int Attempts { get; set; }
    public bool CancelRequested { get; set; }

    public int EpochsCompleted { get; set; }
    public double? Cost { get; set; }
    public double? ValidationCost { get; set; }

    /// <summary>The last epoch's training accuracy (classification losses only; see the history's).</summary>
    public double? Accuracy { get; set; }

    /// <summary>The last epoch's validation accuracy (classification losses with a validation split only).</summary>
    public double? ValidationAccuracy { get; set; }

    /// <summary>True when early stopping ended the job (its metric stopped improving for its patience).</summary>
    public bool StoppedEarly { get; set; }

    /// <summary>With early stopping, the epoch whose metric was best (its weights are the result with restoreBest); else null.</summary>
    public int? BestEpoch { get; set; }

    /// <summary>The metric of <see cref="BestEpoch"/>; null without early stopping.</summary>
    public double? BestMetric { get; set; }

    /// <summary>
    /// The last epoch whose <c>epochs</c> message had been sent when the latest history flush was written (the flush
    /// itself is sent just after). A replica that takes the job over re-sends the stored epochs after it, which the
    /// lost replica may have persisted but not streamed.
    /// </summary>
    public int StreamedThrough { get; set; }

    /// <summary>
    /// A warm start's source job (its weights, copied at admission, are the job's <see cref="InitialWeights"/>); null
    /// for a cold start. Kept as given: the source may be deleted later.
    /// </summary>
    public string? InitialWeightsFromJob { get; set; }

    /// <summary>The API key owner who created the job; "" when API keys are off (everyone is the same user).</summary>
    public string Owner { get; set; } = "";

    /// <summary>The client's Idempotency-Key for the POST that created the job, unique per owner; null without one.</summary>
    public string? IdempotencyKey { get; set; }

    /// <summary>SHA-256 of that POST's body, so a reused key with a different body is told apart from a retry.</summary>
    public string? RequestHash { get; set; }

    /// <summary>The sweep this job is a trial of; null for a job of its own.</summary>
    public string? SweepId { get; init; }

    /// <summary>A trial's varied fields and their values, as a JSON object (the leaderboard's <c>params</c>); null otherwise.</summary>
    public string? SweepParams { get; init; }
}
