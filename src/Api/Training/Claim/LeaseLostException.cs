namespace BackpropService.Api.Training;

/// <summary>This worker's lease on a job was taken over; it must stop without writing anything more.</summary>
public sealed class LeaseLostException(string jobId) : Exception($"The lease on job {jobId} was lost to another worker.");
