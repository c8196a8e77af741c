using BackpropService.Api.Jobs;
using BackpropService.Api.Jobs.Admission;
using BackpropService.Api.ScaleOut;
using BackpropService.Api.Training.Protocols;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace BackpropService.Api.Training;

public static class TrainingServiceCollectionExtensions
{
    /// <summary>The worker, its queue and stores, and the SignalR hub it reports to.</summary>
    public static IServiceCollection AddTraining(this IServiceCollection services)
    {
        services.AddOptions<TrainingOptions>().BindConfiguration("Training");
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<TrainingJobQueue>();
        services.AddJobAdmission();
        services.AddSingleton<JobCancellations>();
        services.AddSingleton<TrainingInputs>();
        services.AddSingleton<JobStreamGate>();
        services.AddSingleton<JobSubscribers>();
        services.AddSingleton<WorkerHeartbeat>();
        services.AddSingleton<JobEvents>();
        services.AddSingleton<IJobStatusPublisher>(provider => provider.GetRequiredService<JobEvents>());
        services.AddSingleton<Sweeps.ISweepEvents>(provider => provider.GetRequiredService<JobEvents>());
        services.AddSingleton<JobEndCommits>();
        services.AddSingleton<JobLeases>();
        services.AddSingleton<AttemptStore>();
        services.AddSingleton<StorageRetry>();
        services.AddSingleton<EpochStream>();
        services.TryAddSingleton(new StreamSharing(AcrossReplicas: false));
        services.AddSingleton<AttemptServices>();
        services.AddHostedService<TrainingWorker>();
        // JSON for every client; MessagePack for clients that ask for it (same names and values, a fraction of the
        // bytes and of the work: numbers travel as binary instead of being printed and parsed as text).
        HubErrorLogging.AddHubErrorLogging(services);
        services.AddSignalR()
            .AddJsonProtocol(options => HubPayloadJson.Configure(options.PayloadSerializerOptions))
            .AddMessagePackProtocol(options => options.SerializerOptions = HubMessagePackResolver.Options);
        return services;
    }
}
