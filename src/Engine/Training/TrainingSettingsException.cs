namespace BackpropService.Engine;

/// <summary>Training settings that cannot train; <see cref="Errors"/> names each field at fault.</summary>
public sealed class TrainingSettingsException(IReadOnlyList<FieldError> errors)
    : ArgumentException(string.Join(" ", errors.Select(e => $"'{e.Field}' {e.Message}")))
{
    public IReadOnlyList<FieldError> Errors { get; } = errors;
}
