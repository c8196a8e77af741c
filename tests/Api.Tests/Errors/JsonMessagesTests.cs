using BackpropService.Api.Errors;

namespace BackpropService.Api.Tests.Errors;

/// <summary>The framework's messages, as System.Text.Json and minimal APIs word them, in the contract's words.</summary>
public sealed class JsonMessagesTests
{
    [Theory]
    [InlineData("The JSON value could not be converted to System.Collections.Generic.IReadOnlyList`1[BackpropService.Api.Networks.LayerRequest]. Path: $.layers | LineNumber: 0 | BytePositionInLine: 30.",
                "The JSON value could not be converted to an array. Path: $.layers | LineNumber: 0 | BytePositionInLine: 30.")]
    [InlineData("The JSON value could not be converted to System.Nullable`1[System.Int32]. Path: $.epochs | LineNumber: 0 | BytePositionInLine: 14.",
                "The JSON value could not be converted to an integer. Path: $.epochs | LineNumber: 0 | BytePositionInLine: 14.")]
    [InlineData("The JSON value could not be converted to BackpropService.Api.Jobs.CreateJobRequest. Path: $ | LineNumber: 0 | BytePositionInLine: 1.",
                "The JSON value could not be converted to an object. Path: $ | LineNumber: 0 | BytePositionInLine: 1.")]
    [InlineData("The JSON value could not be converted to System.Double[][]. Path: $.features | LineNumber: 0 | BytePositionInLine: 15.",
                "The JSON value could not be converted to an array of rows of numbers. Path: $.features | LineNumber: 0 | BytePositionInLine: 15.")]
    [InlineData("Duplicate property 'name' encountered during deserialization of type 'BackpropService.Api.Networks.CreateNetworkRequest'.",
                "Duplicate property 'name' encountered during deserialization.")]
    public void JsonMessagesNameNoTypes(string message, string expected) => Assert.Equal(expected, JsonMessages.Friendly(message));

    [Theory]
    [InlineData("Failed to bind parameter \"Nullable<int> limit\" from \"abc\".", "'limit' must be an integer; got \"abc\".")]
    [InlineData("Failed to bind parameter \"bool unroll\" from \"maybe\".", "'unroll' must be true or false; got \"maybe\".")]
    [InlineData("Required parameter \"string id\" was not provided from route.", "'id' is required (in the route).")]
    [InlineData("Failed to read parameter \"CreateJobRequest request\" from the request body as JSON.", "Failed to read parameter 'request' from the request body as JSON.")]
    public void BindingMessagesNameNoTypes(string message, string expected) => Assert.Equal(expected, JsonMessages.FriendlyBinding(message));

    [Theory]
    [InlineData("learning_rate", "learningRate")]
    [InlineData("LEARNING-RATE", "learningRate")]
    [InlineData("learningRat", "learningRate")]
    [InlineData("laerningRate", "learningRate")]
    [InlineData("epoch", "epochs")]
    [InlineData("colour", null)]
    [InlineData("rate", null)]
    public void TheNearestKnownMemberIsSuggested(string unknown, string? expected) =>
        Assert.Equal(expected, MemberSuggestions.Nearest(unknown, ["networkId", "epochs", "learningRate", "momentum", "seed"]));

    [Fact]
    public void AHugeUnknownNameIsNeitherComparedNorEchoedWhole()
    {
        var detail = MemberSuggestions.Describe(new string('x', 1_000_000), ["epochs"]);
        Assert.True(detail.Length < 200, detail[..Math.Min(300, detail.Length)]);
        Assert.DoesNotContain("Did you mean", detail);
    }
}
