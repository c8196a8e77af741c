using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace BackpropService.Persistence;

/// <summary>SQLite keeps no DateTimeKind; every timestamp we store is UTC, so say so when reading it back.</summary>
internal sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
    v => v.Kind == DateTimeKind.Utc ? v : v.ToUniversalTime(),
    v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
