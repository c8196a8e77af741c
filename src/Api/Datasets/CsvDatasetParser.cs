using System.Globalization;
using BackpropService.Api.Infrastructure;
using BackpropService.Api.Limits;
using BackpropService.Engine;

namespace BackpropService.Api.Datasets;

/// <summary>
/// A CSV dataset: a header row; the <c>?target=</c> columns are targets, every other column a numeric feature.
/// A non-numeric target column holds class labels and is one-hot encoded, keeping the class names.
/// </summary>
public static class CsvDatasetParser
{
    public static DatasetData? Parse(string text, IReadOnlyList<string> targetColumns, string? name, LimitsOptions limits, ValidationErrors errors)
    {
        List<string[]> records;
        try { records = CsvReader.Read(text); }
        catch (FormatException ex) { errors.Add("body", ex.Message); return null; }

        if (records.Count < 2) { errors.Add("body", "The CSV needs a header row and at least one data row."); return null; }
        var header = records[0].Select(h => h.Trim()).ToArray();
        var rows = records.Count - 1;
        if (rows > limits.MaxDatasetRows) { errors.Add("body", $"The CSV has {rows} rows; the limit is {limits.MaxDatasetRows} (Limits:MaxDatasetRows)."); return null; }
        if ((long)rows * header.Length > limits.MaxDatasetNumbers) { errors.Add("body", $"The CSV has {(long)rows * header.Length} cells; the limit is {limits.MaxDatasetNumbers} (Limits:MaxDatasetNumbers)."); return null; }
        if (targetColumns.Count == 0) { errors.Add("target", "Name the target column(s) with ?target=COLUMN (repeatable)."); return null; }

        var targetIndex = new List<int>();
        foreach (var column in targetColumns)
        {
            var index = Array.IndexOf(header, column.Trim());
            if (index < 0) errors.Add("target", $"There is no column '{column}'; the header has: {string.Join(", ", header)}.");
            else if (targetIndex.Contains(index)) errors.Add("target", $"The column '{column}' is named twice.");
            else targetIndex.Add(index);
        }
        var featureIndex = Enumerable.Range(0, header.Length).Where(i => !targetIndex.Contains(i)).ToArray();
        if (featureIndex.Length == 0) errors.Add("target", "Every column is a target; leave at least one feature column.");
        if (errors.Any) return null;

        for (var r = 1; r < records.Count; r++)
        {
            if (records[r].Length != header.Length)
            {
                errors.Add($"rows[{r}]", $"Line {r + 1} has {records[r].Length} columns; the header has {header.Length} (ragged rows are not allowed).");
                return null;
            }
        }

        var features = new float[rows * featureIndex.Length];
        for (var r = 0; r < rows; r++)
            for (var f = 0; f < featureIndex.Length; f++)
                if (!TryCell(records, r, featureIndex[f], header, errors, out features[r * featureIndex.Length + f])) return null;

        var labelColumn = targetIndex.Where(t => !AllNumeric(records, t)).ToList();
        if (labelColumn.Count == 0)
        {
            var targets = new float[rows * targetIndex.Count];
            for (var r = 0; r < rows; r++)
                for (var t = 0; t < targetIndex.Count; t++)
                    if (!TryCell(records, r, targetIndex[t], header, errors, out targets[r * targetIndex.Count + t])) return null;
            return new DatasetData(Name(name), features, targets, rows, featureIndex.Length, targetIndex.Count, null);
        }
        if (targetIndex.Count > 1)
        {
            errors.Add("target", $"The column '{header[labelColumn[0]]}' holds class labels (not numbers); a label column must be the only target.");
            return null;
        }
        return OneHot(records, targetIndex[0], header, features, featureIndex.Length, name, limits, errors);
    }

    private static DatasetData? OneHot(List<string[]> records, int column, string[] header, float[] features, int featureCount, string? name, LimitsOptions limits, ValidationErrors errors)
    {
        var rows = records.Count - 1;
        var labels = records.Skip(1).Select(record => record[column].Trim()).ToArray();
        if (Array.FindIndex(labels, string.IsNullOrEmpty) is var empty and >= 0)
        {
            errors.Add($"rows[{empty + 1}].{header[column]}", $"Line {empty + 2}, column '{header[column]}': the class label is empty.");
            return null;
        }
        for (var r = 0; r < rows; r++)
        {
            SafeText.Check(labels[r], $"rows[{r + 1}].{header[column]}", limits.MaxClassLabelLength, nameof(limits.MaxClassLabelLength), errors);
            if (errors.Any) return null;
        }
        var classes = labels.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if ((long)rows * (featureCount + classes.Count) > limits.MaxDatasetNumbers)
        {
            errors.Add("body", $"{classes.Count} classes × {rows} rows exceeds {limits.MaxDatasetNumbers} numbers (Limits:MaxDatasetNumbers).");
            return null;
        }
        var index = classes.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i, StringComparer.Ordinal);
        var targets = new float[rows * classes.Count];
        for (var r = 0; r < rows; r++) targets[r * classes.Count + index[labels[r]]] = 1f;
        return new DatasetData(Name(name), features, targets, rows, featureCount, classes.Count, classes);
    }

    private static bool AllNumeric(List<string[]> records, int column)
    {
        for (var r = 1; r < records.Count; r++)
            if (!double.TryParse(records[r][column], NumberStyles.Float, CultureInfo.InvariantCulture, out _)) return false;
        return true;
    }

    private static bool TryCell(List<string[]> records, int row, int column, string[] header, ValidationErrors errors, out float value)
    {
        var text = records[row + 1][column].Trim();
        value = 0;
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
            errors.Add($"rows[{row + 1}].{header[column]}", $"{Where(row, column, header)}: '{text}' is not a number.");
        else if (!FloatRange.TryConvert(number, out value))
            errors.Add($"rows[{row + 1}].{header[column]}", $"{Where(row, column, header)}: '{text}' is not a finite float32 number (NaN and Infinity are not allowed).");
        return !errors.Any;
    }

    // Built only for a bad cell: TryCell runs once per cell of the upload, and almost every cell is fine.
    private static string Where(int row, int column, string[] header) =>
        $"Line {row + 2}, column '{header[column]}' (row {row + 1}, column {column + 1})";

    private static string Name(string? name) => string.IsNullOrWhiteSpace(name) ? "dataset" : name.Trim();
}
