using BackpropService.Api.Datasets;

namespace BackpropService.Api.Tests.Datasets;

public class CsvReaderTests
{
    [Fact]
    public void ReadsQuotedFieldsEscapedQuotesAndBothLineEndings()
    {
        var records = CsvReader.Read("a,\"b, c\",\"say \"\"hi\"\"\"\r\n1,2,3\n4,5,6");
        Assert.Equal(3, records.Count);
        Assert.Equal(["a", "b, c", "say \"hi\""], records[0]);
        Assert.Equal(["1", "2", "3"], records[1]);
        Assert.Equal(["4", "5", "6"], records[2]);
    }

    [Fact]
    public void SkipsBlankAndWhitespaceOnlyLines()
    {
        var records = CsvReader.Read("x,y\n\n1,2\n   \n3,4\n");
        Assert.Equal(3, records.Count);
        Assert.Equal(["3", "4"], records[2]);
    }

    [Fact]
    public void KeepsRaggedRowsForTheDatasetParserToReport()
    {
        var records = CsvReader.Read("x,y\n1\n2,3,4");
        Assert.Single(records[1]);
        Assert.Equal(3, records[2].Length);
    }

    [Fact]
    public void MalformedQuotingIsAFormatErrorNamingTheRow()
    {
        var error = Assert.Throws<FormatException>(() => CsvReader.Read("x,y\n1,a\"b\n"));
        Assert.Contains("Row 2", error.Message);
    }

    [Fact]
    public void AQuoteThatNeverClosesIsAFormatError() =>
        Assert.Throws<FormatException>(() => CsvReader.Read("x,y\n1,\"abc\n2,3\n"));
}
