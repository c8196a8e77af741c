namespace BackpropService.Persistence.Entities;

/// <summary>Life cycle of a training job: Queued → Running → one of the three terminal states.</summary>
public enum JobStatus
{
    Queued,
    Running,
    Succeeded,
    Failed,
    Cancelled,
}
