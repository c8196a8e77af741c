using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BackpropService.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class RunMetadataPostgres : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Name",
                table: "Jobs",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Notes",
                table: "Jobs",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Tags",
                table: "Jobs",
                type: "text",
                nullable: false,
                defaultValue: "");

            // Existing runs get the name new ones get: their network's.
            migrationBuilder.Sql("UPDATE \"Jobs\" SET \"Name\" = (SELECT n.\"Name\" FROM \"Networks\" n WHERE n.\"Id\" = \"Jobs\".\"NetworkId\");");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Name",
                table: "Jobs");

            migrationBuilder.DropColumn(
                name: "Notes",
                table: "Jobs");

            migrationBuilder.DropColumn(
                name: "Tags",
                table: "Jobs");
        }
    }
}
