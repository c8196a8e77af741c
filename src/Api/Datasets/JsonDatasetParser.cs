using BackpropService.Api.Infrastructure;
using BackpropService.Api.Limits;
using BackpropService.Engine;

namespace BackpropService.Api.Datasets;

/// <summary>Validates a JSON dataset (shape, size limits, float32 range) and packs it as float32 rows.</summary>
public static class JsonDatasetParser
{
    public static DatasetData? Parse(CreateDatasetRequest request, LimitsOptions limits, ValidationErrors errors, string prefix = "")
    {
        SafeText.Check(request.Name, prefix + "name", limits.MaxNameLength, nameof(limits.MaxNameLength), errors);
        if (request.Features is not { Length: > 0 } features)
        {
            errors.Add(prefix + "features", "must contain at least one row.");
            return null;
        }
        if (features.Length > limits.MaxDatasetRows)
        {
            errors.Add(prefix + "features", $"has {features.Length} rows; the limit is {limits.MaxDatasetRows} (Limits:MaxDatasetRows).");
            return null;
        }
        if (request.Targets is not null == request.Labels is not null)
        {
            errors.Add(prefix + "targets", "give exactly one of targets (rows of numbers) or labels (class indices).");
            return null;
        }

        int featureCount = features[0]?.Length ?? 0, targetCount;
        float[]? targets;
        IReadOnlyList<string>? classes = null;
        if (request.Labels is { } labels)
        {
            (targets, targetCount, classes) = OneHot(labels, features.Length, limits, errors, prefix + "labels");
        }
        else
        {
            targetCount = request.Targets is [var first, ..] ? first?.Length ?? 0 : 0;
            targets = Pack(request.Targets!, features.Length, limits, errors, prefix + "targets");
        }
        if (errors.Any) return null;
        if ((long)features.Length * (featureCount + targetCount) > limits.MaxDatasetNumbers)
        {
            errors.Add(prefix + "features", $"the dataset has {(long)features.Length * (featureCount + targetCount)} numbers; the limit is {limits.MaxDatasetNumbers} (Limits:MaxDatasetNumbers).");
            return null;
        }
        var packed = Pack(features, features.Length, limits, errors, prefix + "features");
        if (packed is null || targets is null) return null;
        return new DatasetData(string.IsNullOrWhiteSpace(request.Name) ? "dataset" : request.Name, packed, targets, features.Length, featureCount, targetCount, classes);
    }

    private static float[]? Pack(double[][] rows, int expectedRows, LimitsOptions limits, ValidationErrors errors, string path)
    {
        if (rows.Length != expectedRows)
        {
            errors.Add(path, $"has {rows.Length} rows but features has {expectedRows}; give one row per example.");
            return null;
        }
        var width = rows[0]?.Length ?? 0;
        if (width < 1)
        {
            errors.Add(path + "[0]", "must contain at least one number.");
            return null;
        }
        if ((long)rows.Length * width > limits.MaxDatasetNumbers)
        {
            errors.Add(path, $"has more than {limits.MaxDatasetNumbers} numbers (Limits:MaxDatasetNumbers).");
            return null;
        }
        var result = new float[rows.Length * width];
        for (var r = 0; r < rows.Length; r++)
        {
            var row = rows[r];
            if (row is null || row.Length != width)
            {
                errors.Add($"{path}[{r}]", $"row {r} has {row?.Length ?? 0} columns; expected {width} like row 0 (ragged rows are not allowed).");
                return null;
            }
            for (var c = 0; c < width; c++)
            {
                if (!FloatRange.TryConvert(row[c], out result[r * width + c]))
                {
                    errors.Add($"{path}[{r}][{c}]", $"row {r}, column {c}: {FloatRange.Outside(row[c])}");
                    return null;
                }
            }
        }
        return result;
    }

    private static (float[]?, int, IReadOnlyList<string>?) OneHot(int[] labels, int rows, LimitsOptions limits, ValidationErrors errors, string path)
    {
        if (labels.Length != rows)
        {
            errors.Add(path, $"has {labels.Length} labels but features has {rows} rows; give one label per row.");
            return (null, 0, null);
        }
        for (var r = 0; r < labels.Length; r++)
        {
            if (labels[r] < 0)
            {
                errors.Add($"{path}[{r}]", $"row {r}: a class index must not be negative; got {labels[r]}.");
                return (null, 0, null);
            }
        }
        var classCount = labels.Max() + 1L;
        if (classCount * rows > limits.MaxDatasetNumbers)
        {
            errors.Add(path, $"{classCount} classes × {rows} rows exceeds {limits.MaxDatasetNumbers} numbers (Limits:MaxDatasetNumbers).");
            return (null, 0, null);
        }
        var targets = new float[rows * classCount];
        for (var r = 0; r < rows; r++) targets[r * classCount + labels[r]] = 1f;
        var classes = Enumerable.Range(0, (int)classCount).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        return (targets, (int)classCount, classes);
    }
}
