namespace BackpropService.Api.Infrastructure;

/// <summary>Collects field-path → messages for a <c>ValidationProblem</c>; the first message becomes the detail.</summary>
public sealed class ValidationErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool Any => _errors.Count > 0;

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list))
            _errors[field] = list = [];
        list.Add(message);
    }

    public IDictionary<string, string[]> ToDictionary() => _errors.ToDictionary(e => e.Key, e => e.Value.ToArray());

    public string Summary => string.Join(" ", _errors.SelectMany(e => e.Value.Select(m => $"{e.Key}: {m}")));
}
