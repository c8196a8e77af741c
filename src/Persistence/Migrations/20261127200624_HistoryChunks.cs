using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BackpropService.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class HistoryChunks : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "LossPoints");

            migrationBuilder.CreateTable(
                name: "LossChunks",
                columns: table => new
                {
                    JobId = table.Column<string>(type: "TEXT", nullable: false),
                    FirstEpoch = table.Column<int>(type: "INTEGER", nullable: false),
                    LastEpoch = table.Column<int>(type: "INTEGER", nullable: false),
                    Costs = table.Column<byte[]>(type: "BLOB", nullable: false),
                    ValidationCosts = table.Column<byte[]>(type: "BLOB", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LossChunks", x => new { x.JobId, x.FirstEpoch });
                    table.ForeignKey(
                        name: "FK_LossChunks_Jobs_JobId",
                        column: x => x.JobId,
                        principalTable: "Jobs",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "LossChunks");

            migrationBuilder.CreateTable(
                name: "LossPoints",
                columns: table => new
                {
                    JobId = table.Column<string>(type: "TEXT", nullable: false),
                    Epoch = table.Column<int>(type: "INTEGER", nullable: false),
                    Cost = table.Column<double>(type: "REAL", nullable: true),
                    ValidationCost = table.Column<double>(type: "REAL", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LossPoints", x => new { x.JobId, x.Epoch });
                    table.ForeignKey(
                        name: "FK_LossPoints_Jobs_JobId",
                        column: x => x.JobId,
                        principalTable: "Jobs",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });
        }
    }
}
