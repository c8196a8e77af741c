using Microsoft.Extensions.DependencyInjection.Extensions;
using StackExchange.Redis;

namespace BackpropService.Api.ScaleOut;

public static class ScaleOutExtensions
{
    /// <summary>
    /// What several replicas on one database need beyond the worker's leases and the database dialect's job lock:
    /// with <c>ConnectionStrings:Redis</c> set, the SignalR Redis backplane, so a client connected to one replica
    /// receives the <c>epochs</c> and <c>status</c> that the replica training the job sends. Without Redis, SignalR
    /// stays in-process: right for a single replica.
    /// </summary>
    /// <remarks>Redis is read at registration: the backplane replaces SignalR's lifetime manager for good.</remarks>
    public static WebApplicationBuilder AddScaleOut(this WebApplicationBuilder builder)
    {
        var redis = builder.Configuration.GetConnectionString("Redis");
        if (!string.IsNullOrWhiteSpace(redis))
        {
            builder.Services.AddSignalR().AddStackExchangeRedis(redis, options =>
                options.Configuration.ChannelPrefix = RedisChannel.Literal("backprop"));
            builder.Services.Replace(ServiceDescriptor.Singleton(new StreamSharing(AcrossReplicas: true)));
        }
        return builder;
    }
}
