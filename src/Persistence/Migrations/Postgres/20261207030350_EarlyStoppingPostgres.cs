using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BackpropService.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class EarlyStoppingPostgres : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "BestEpoch",
                table: "Jobs",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "BestMetric",
                table: "Jobs",
                type: "double precision",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "StoppedEarly",
                table: "Jobs",
                type: "boolean",
                nullable: false,
                defaultValue: false);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "BestEpoch",
                table: "Jobs");

            migrationBuilder.DropColumn(
                name: "BestMetric",
                table: "Jobs");

            migrationBuilder.DropColumn(
                name: "StoppedEarly",
                table: "Jobs");
        }
    }
}
