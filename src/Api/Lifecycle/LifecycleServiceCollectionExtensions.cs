namespace BackpropService.Api.Lifecycle;

public static class LifecycleServiceCollectionExtensions
{
    /// <summary>The retention sweep (off unless <c>Retention:FinishedJobsDays</c> is set).</summary>
    public static IServiceCollection AddRetention(this IServiceCollection services)
    {
        services.AddOptions<RetentionOptions>().BindConfiguration("Retention")
            .Validate(o => o.SweepInterval > TimeSpan.Zero && o.BatchSize > 0 && o.FinishedJobsDays is null or >= 0,
                "Retention:SweepInterval and Retention:BatchSize must be positive, Retention:FinishedJobsDays not negative.")
            .ValidateOnStart();
        services.AddSingleton<RetentionSweep>();
        services.AddHostedService(provider => provider.GetRequiredService<RetentionSweep>());
        return services;
    }
}
