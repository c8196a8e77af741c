namespace BackpropService.Api.Jobs;

/// <summary>
/// Tells a job's subscribers its status as persisted (the hub side implements it). The job endpoints announce the
/// changes they make themselves (a queued job cancelled) through it, without depending on the worker's folder.
/// </summary>
public interface IJobStatusPublisher
{
    Task PublishStatusAsync(string jobId);
}
