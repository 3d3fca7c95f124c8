// Agents against a real temporary store: agent tokens, the devices an agent reads, and its reports.

#include "service/agents.hpp"

#include "service/devices.hpp"
#include "support/service_world.hpp"

#include <gtest/gtest.h>

namespace rollcall::service {
namespace {

class AgentsTest : public ::testing::Test {
protected:
    test::ServiceWorld w_;
    Agents agents_{*w_.store, w_.crypto, w_.clock};
    Devices devices_{*w_.store, w_.crypto, w_.clock};
    std::int64_t school_ = w_.School();

    storage::Device Device(const std::string& name,
                           domain::SyncMode sync_mode,
                           domain::ActiveStatus status = domain::ActiveStatus::kActive) {
        DevicePatch p;
        p.name = name;
        p.sync_mode = sync_mode;
        p.status = status;
        p.ip = "192.0.2.10";
        return devices_.CreateDevice(w_.admin, school_, p).value().device;
    }
};

TEST_F(AgentsTest, AnAgentTokenNamesItsSchoolUntilItIsRevoked) {
    const auto [id, token] = agents_.CreateAgentToken(w_.admin, school_).value();
    EXPECT_TRUE(token.starts_with("rca_"));
    EXPECT_EQ(agents_.AuthenticateAgent(token).value(), school_);
    EXPECT_EQ(agents_.ListAgentTokens(school_)->size(), 1U);
    ASSERT_TRUE(agents_.RevokeAgentToken(w_.admin, school_, id).ok());
    EXPECT_EQ(agents_.AuthenticateAgent(token).error().code, core::Errc::kUnauthorized);
    EXPECT_TRUE(agents_.ListAgentTokens(school_)->at(0).revoked_at.has_value());
    const auto audit = w_.Audit(school_);
    EXPECT_EQ(audit.at(0).action, domain::AuditAction::kRevoke);
    EXPECT_EQ(audit.at(0).entity, "agent_token");
    EXPECT_EQ(audit.at(1).action, domain::AuditAction::kCreate);
    EXPECT_EQ(audit.at(1).new_value.find(token), std::string::npos);
}

TEST_F(AgentsTest, TheAgentReadsOnlyTheActiveAgentModeDevicesOfItsSchool) {
    const auto back = Device("Back gate", domain::SyncMode::kAgent);
    Device("Front gate", domain::SyncMode::kPush);
    const auto off = Device("Old gate", domain::SyncMode::kAgent, domain::ActiveStatus::kInactive);
    const auto list = agents_.AgentDevices(school_).value();
    ASSERT_EQ(list.size(), 1U);
    EXPECT_EQ(list[0].id, back.id);
    EXPECT_EQ(agents_.AgentDevice(school_, off.id).error().code, core::Errc::kForbidden);
    EXPECT_EQ(agents_.AgentDevice(w_.School("Lake School"), back.id).error().code, core::Errc::kNotFound);
}

TEST_F(AgentsTest, AStatusReportGetsTheClockDriftAndAReadCountsAsHearingFromTheDevice) {
    const auto back = Device("Back gate", domain::SyncMode::kAgent);
    storage::DeviceStatus status;
    status.device_id = back.id;
    status.reachable = true;
    // 13:00:00 in Nairobi now; the device says 13:02:00.
    status.device_time = core::ParseLocalDateTime("2026-03-12 13:02:00");
    status.read_through = test::kWorldNow + 600;  // an agent PC clock ahead of ours
    const auto saved = agents_.SaveAgentStatus(school_, status).value();
    EXPECT_EQ(saved.clock_drift_seconds, 120);
    EXPECT_EQ(saved.read_through, test::kWorldNow);
    EXPECT_EQ(w_.store->GetDevice(school_, back.id)->last_seen, test::kWorldNow);
}

TEST_F(AgentsTest, TheSerialTheAgentReadsFillsAnEmptyOneAndAuditsIt) {
    const auto back = Device("Back gate", domain::SyncMode::kAgent);
    storage::DeviceStatus status;
    status.device_id = back.id;
    status.reachable = true;
    status.serial = "CDQ9192960012";
    ASSERT_TRUE(agents_.SaveAgentStatus(school_, status).ok());
    EXPECT_EQ(devices_.GetDevice(school_, back.id)->device.serial, "CDQ9192960012");
    const auto line = w_.Audit(school_).at(0);
    EXPECT_EQ(line.action, domain::AuditAction::kUpdate);
    EXPECT_EQ(line.entity, "device");
    EXPECT_EQ(line.reason, "serial number read from the terminal by the sync agent");
    EXPECT_NE(line.new_value.find("CDQ9192960012"), std::string::npos);
    // The same serial again writes nothing more.
    const auto lines = w_.Audit(school_).size();
    ASSERT_TRUE(agents_.SaveAgentStatus(school_, status).ok());
    EXPECT_EQ(w_.Audit(school_).size(), lines);
}

TEST_F(AgentsTest, AnotherSerialAtTheAddressKeepsTheAdminsAndSaysToCheckTheAddress) {
    const auto back = Device("Back gate", domain::SyncMode::kAgent);
    DevicePatch serial;
    serial.serial = "CDQ9192960012";
    ASSERT_TRUE(devices_.UpdateDevice(w_.admin, school_, back.id, serial).ok());
    storage::DeviceStatus status;
    status.device_id = back.id;
    status.reachable = true;
    status.serial = "OTHER000001";
    const auto saved = agents_.SaveAgentStatus(school_, status).value();
    EXPECT_EQ(devices_.GetDevice(school_, back.id)->device.serial, "CDQ9192960012");
    EXPECT_NE(saved.last_error.find("reports serial OTHER000001, not CDQ9192960012"), std::string::npos)
        << saved.last_error;
    EXPECT_NE(saved.last_error.find("check the device's IP address"), std::string::npos);
}

}  // namespace
}  // namespace rollcall::service
