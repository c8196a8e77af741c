using System.Text.Json;
using System.Text.Json.Serialization;

namespace BackpropService.Api.Training;

public static class TrainingServiceCollectionExtensions
{
    /// <summary>The worker, its queue and stores, and the SignalR hub it reports to.</summary>
    public static IServiceCollection AddTraining(this IServiceCollection services)
    {
        services.AddOptions<TrainingOptions>().BindConfiguration("Training");
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<TrainingJobQueue>();
        services.AddSingleton<JobCancellations>();
        services.AddSingleton<JobStreamGate>();
        services.AddSingleton<WorkerHeartbeat>();
        services.AddSingleton<JobEvents>();
        services.AddSingleton<JobLeaseStore>();
        services.AddSingleton<HistoryWriter>();
        services.AddSingleton<BackpropService.Api.Reliability.StorageRetry>();
        services.AddSingleton<EpochStream>();
        services.AddSingleton<JobFlusher>();
        services.AddSingleton<JobRunner>();
        services.AddHostedService<TrainingWorker>();
        services.AddSignalR().AddJsonProtocol(options =>
        {
            options.PayloadSerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
            options.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false));
        });
        return services;
    }
}
