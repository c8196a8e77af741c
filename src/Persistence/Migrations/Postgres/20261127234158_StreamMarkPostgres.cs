using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BackpropService.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class StreamMarkPostgres : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "StreamedThrough",
                table: "Jobs",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            // Jobs running across the upgrade: count what they stored as streamed, so a takeover re-sends nothing old.
            migrationBuilder.Sql("UPDATE \"Jobs\" SET \"StreamedThrough\" = \"EpochsCompleted\"");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "StreamedThrough",
                table: "Jobs");
        }
    }
}
