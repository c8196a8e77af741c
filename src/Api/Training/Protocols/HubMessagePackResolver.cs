using BackpropService.Api.Jobs;
using MessagePack;
using MessagePack.Formatters;
using MessagePack.Resolvers;

namespace BackpropService.Api.Training.Protocols;

/// <summary>
/// Formatters for the hub's MessagePack protocol. Every payload keeps the JSON contract's shape (a map with the same
/// camelCase names, the same value forms): the <c>epochs</c> message by a hand-written formatter, as it carries
/// a million points a second from a fast job; anything else by way of its JSON form; primitives as MessagePack's own.
/// </summary>
public sealed class HubMessagePackResolver : IFormatterResolver
{
    public static readonly HubMessagePackResolver Instance = new();

    public static readonly MessagePackSerializerOptions Options = MessagePackSerializerOptions.Standard
        .WithResolver(Instance)
        .WithSecurity(MessagePackSecurity.UntrustedData);

    private HubMessagePackResolver() { }

    public IMessagePackFormatter<T>? GetFormatter<T>() => Cache<T>.Formatter;

    private static class Cache<T>
    {
        public static readonly IMessagePackFormatter<T>? Formatter = Create();

        private static IMessagePackFormatter<T>? Create()
        {
            var type = typeof(T);
            if (type == typeof(EpochsMessage)) return (IMessagePackFormatter<T>)(object)new EpochsMessageFormatter();
            if (type == typeof(HistoryPoint)) return (IMessagePackFormatter<T>)(object)new HistoryPointFormatter();
            var plain = Nullable.GetUnderlyingType(type) ?? type;
            if (plain.IsPrimitive || plain == typeof(string) || plain == typeof(object))
                return StandardResolver.Instance.GetFormatter<T>();
            return new JsonShapedFormatter<T>();
        }
    }
}
