using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BackpropService.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class HistoryAccuracy : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<byte[]>(
                name: "Accuracies",
                table: "LossChunks",
                type: "BLOB",
                nullable: true);

            migrationBuilder.AddColumn<byte[]>(
                name: "ValidationAccuracies",
                table: "LossChunks",
                type: "BLOB",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "Accuracy",
                table: "Jobs",
                type: "REAL",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "ValidationAccuracy",
                table: "Jobs",
                type: "REAL",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Accuracies",
                table: "LossChunks");

            migrationBuilder.DropColumn(
                name: "ValidationAccuracies",
                table: "LossChunks");

            migrationBuilder.DropColumn(
                name: "Accuracy",
                table: "Jobs");

            migrationBuilder.DropColumn(
                name: "ValidationAccuracy",
                table: "Jobs");
        }
    }
}
