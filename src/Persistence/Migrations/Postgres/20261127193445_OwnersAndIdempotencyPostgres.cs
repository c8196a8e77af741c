using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BackpropService.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class OwnersAndIdempotencyPostgres : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Owner",
                table: "Networks",
                type: "character varying(100)",
                maxLength: 100,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "IdempotencyKey",
                table: "Jobs",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Owner",
                table: "Jobs",
                type: "character varying(100)",
                maxLength: 100,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "RequestHash",
                table: "Jobs",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Owner",
                table: "Datasets",
                type: "character varying(100)",
                maxLength: 100,
                nullable: false,
                defaultValue: "");

            migrationBuilder.CreateIndex(
                name: "IX_Jobs_Owner_IdempotencyKey",
                table: "Jobs",
                columns: new[] { "Owner", "IdempotencyKey" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Jobs_Owner_IdempotencyKey",
                table: "Jobs");

            migrationBuilder.DropColumn(
                name: "Owner",
                table: "Networks");

            migrationBuilder.DropColumn(
                name: "IdempotencyKey",
                table: "Jobs");

            migrationBuilder.DropColumn(
                name: "Owner",
                table: "Jobs");

            migrationBuilder.DropColumn(
                name: "RequestHash",
                table: "Jobs");

            migrationBuilder.DropColumn(
                name: "Owner",
                table: "Datasets");
        }
    }
}
