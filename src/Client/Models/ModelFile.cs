namespace BackpropService.Client.Models;

/// <summary>A downloaded ONNX model: the file name the service suggests (<c>NAME.onnx</c>, null if none) and its length in bytes.</summary>
public sealed record ModelFile(string? SuggestedFileName, long Length);
