// Devices against a real temporary store: tokens, validation, the audit trail, and what a device sent.

#include "service/devices.hpp"

#include "support/service_world.hpp"

#include <gtest/gtest.h>

namespace rollcall::service {
namespace {

class DevicesTest : public ::testing::Test {
protected:
    test::ServiceWorld w_;
    Devices devices_{*w_.store, w_.crypto, w_.clock};
    std::int64_t school_ = w_.School();
    int gates_ = 0;

    /// A device called "Gate 1", "Gate 2"... (names are unique in a school); an agent reads it at 192.0.2.10.
    DeviceWithToken Gate(domain::SyncMode sync_mode = domain::SyncMode::kPush) {
        DevicePatch p;
        p.name = "Gate " + std::to_string(++gates_);
        p.sync_mode = sync_mode;
        if (sync_mode == domain::SyncMode::kAgent) {
            p.ip = "192.0.2.10";
        }
        return devices_.CreateDevice(w_.admin, school_, p).value();
    }
};

TEST_F(DevicesTest, ANewDeviceGetsATokenThatAuthenticatesItAndStaysOutOfTheAuditTrail) {
    const auto gate = Gate();
    EXPECT_TRUE(gate.api_token.starts_with("rcd_"));
    EXPECT_EQ(devices_.AuthenticatePushDevice(gate.api_token)->id, gate.device.id);
    EXPECT_EQ(devices_.DeviceToken(school_, gate.device.id).value(), gate.api_token);
    const auto audit = w_.Audit(school_);
    ASSERT_EQ(audit.size(), 1U);
    EXPECT_EQ(audit[0].action, domain::AuditAction::kCreate);
    EXPECT_EQ(audit[0].entity, "device");
    EXPECT_EQ(audit[0].entity_id, gate.device.id);
    EXPECT_EQ(audit[0].new_value.find(gate.api_token), std::string::npos);
}

TEST_F(DevicesTest, ARotatedTokenReplacesTheOldOne) {
    const auto gate = Gate();
    const auto fresh = devices_.RotateDeviceToken(w_.admin, school_, gate.device.id).value();
    EXPECT_EQ(devices_.AuthenticatePushDevice(gate.api_token).error().code, core::Errc::kUnauthorized);
    EXPECT_EQ(devices_.AuthenticatePushDevice(fresh)->id, gate.device.id);
    EXPECT_EQ(w_.Audit(school_).at(0).action, domain::AuditAction::kRotateToken);
}

TEST_F(DevicesTest, AnInactiveOrAgentModeDeviceCannotPush) {
    const auto gate = Gate();
    DevicePatch off;
    off.status = domain::ActiveStatus::kInactive;
    ASSERT_TRUE(devices_.UpdateDevice(w_.admin, school_, gate.device.id, off).ok());
    EXPECT_EQ(devices_.AuthenticatePushDevice(gate.api_token).error().code, core::Errc::kForbidden);
    const auto agent_read = Gate(domain::SyncMode::kAgent);
    EXPECT_EQ(devices_.AuthenticatePushDevice(agent_read.api_token).error().code, core::Errc::kForbidden);
    EXPECT_EQ(devices_.AuthenticatePushDevice("").error().code, core::Errc::kUnauthorized);
}

TEST_F(DevicesTest, AnUpdateIsValidatedAndAuditedWithOldAndNew) {
    const auto gate = Gate();
    DevicePatch bad;
    bad.port = 0;
    EXPECT_EQ(devices_.UpdateDevice(w_.admin, school_, gate.device.id, bad).error().message,
              "port: must be between 1 and 65535");
    DevicePatch in;
    in.direction = domain::DeviceDirection::kIn;
    EXPECT_EQ(devices_.UpdateDevice(w_.admin, school_, gate.device.id, in)->direction, domain::DeviceDirection::kIn);
    const auto line = w_.Audit(school_).at(0);
    EXPECT_EQ(line.action, domain::AuditAction::kUpdate);
    EXPECT_NE(line.old_value.find(R"("direction":"auto")"), std::string::npos);
    EXPECT_NE(line.new_value.find(R"("direction":"in")"), std::string::npos);
}

TEST_F(DevicesTest, TheDeviceListShowsWhatTheAgentLastReported) {
    const auto gate = Gate(domain::SyncMode::kAgent);
    storage::DeviceStatus status;
    status.school_id = school_;
    status.device_id = gate.device.id;
    status.reachable = true;
    status.reported_at = test::kWorldNow;
    ASSERT_TRUE(w_.store->SaveDeviceStatus(status).ok());
    const auto other = Gate();
    const auto list = devices_.ListDevices(school_).value();
    ASSERT_EQ(list.size(), 2U);
    for (const auto& view : list) {
        EXPECT_EQ(view.agent_status.has_value(), view.device.id == gate.device.id);
    }
    EXPECT_FALSE(devices_.GetDevice(school_, other.device.id)->agent_status.has_value());
}

TEST_F(DevicesTest, AnotherSchoolsDeviceAndWhatItSentDoNotExist) {
    const auto gate = Gate();
    const auto other_school = w_.School("Lake School", "Europe/London");
    EXPECT_EQ(devices_.GetDevice(other_school, gate.device.id).error().code, core::Errc::kNotFound);
    EXPECT_EQ(devices_.DeviceUsers(other_school, gate.device.id).error().code, core::Errc::kNotFound);
    EXPECT_EQ(devices_.DevicePunches(other_school, gate.device.id, 10).error().code, core::Errc::kNotFound);
    EXPECT_EQ(devices_.DeleteDevice(w_.admin, other_school, gate.device.id).error().code, core::Errc::kNotFound);

    storage::PunchBatch batch{school_, gate.device.id, "push", test::kWorldNow, {}};
    batch.rows.push_back({"7", *core::ParseLocalDateTime("2026-03-12 07:50:00"), 0, std::nullopt});
    ASSERT_TRUE(w_.store->WritePunches(batch).ok());
    EXPECT_EQ(devices_.DevicePunches(school_, gate.device.id, 10)->size(), 1U);
    ASSERT_EQ(devices_.DeviceUsers(school_, gate.device.id)->size(), 1U);
    EXPECT_EQ(devices_.DeviceUsers(school_, gate.device.id)->at(0).user_id, "7");
}

TEST_F(DevicesTest, ADeletedDeviceIsGoneAndAudited) {
    const auto gate = Gate();
    ASSERT_TRUE(devices_.DeleteDevice(w_.admin, school_, gate.device.id).ok());
    EXPECT_EQ(devices_.GetDevice(school_, gate.device.id).error().code, core::Errc::kNotFound);
    const auto line = w_.Audit(school_).at(0);
    EXPECT_EQ(line.action, domain::AuditAction::kDelete);
    EXPECT_NE(line.old_value.find("Gate 1"), std::string::npos);
}

TEST_F(DevicesTest, DeletingAnUnusedDeviceAuditsTheMappingsAndClockCorrectionsThatGoWithIt) {
    const auto gate = Gate();
    storage::Person p;
    p.school_id = school_;
    p.name = "Amina Njeri";
    const auto amina = w_.store->CreatePerson(p).value();
    storage::Mapping m;
    m.school_id = school_;
    m.device_id = gate.device.id;
    m.user_id = "17";
    m.person_id = amina.id;
    const auto mapping = w_.store->CreateMapping(m).value();
    storage::ClockCorrection c;
    c.school_id = school_;
    c.device_id = gate.device.id;
    c.from = *core::ParseLocalDateTime("2026-03-01 00:00:00");
    c.to = *core::ParseLocalDateTime("2026-03-02 00:00:00");
    c.offset_seconds = 60;
    c.reason = "a minute behind";
    storage::AuditEntry setup;
    setup.school_id = school_;
    const auto correction = w_.store->CreateClockCorrection(c, setup).value();

    ASSERT_TRUE(devices_.DeleteDevice(w_.admin, school_, gate.device.id).ok());
    const auto trail = w_.Audit(school_);
    const auto line_of = [&](const std::string& entity) {
        const auto it = std::find_if(trail.begin(), trail.end(), [&](const storage::AuditEntry& a) {
            return a.entity == entity && a.action == domain::AuditAction::kDelete;
        });
        EXPECT_NE(it, trail.end()) << "no delete line for the " << entity;
        return it != trail.end() ? *it : storage::AuditEntry{};
    };
    const auto gone_mapping = line_of("mapping");
    EXPECT_EQ(gone_mapping.entity_id, mapping.id);
    EXPECT_EQ(gone_mapping.person_id, amina.id) << "Amina's trail shows her mapping went";
    EXPECT_NE(gone_mapping.label.find("Amina Njeri"), std::string::npos) << gone_mapping.label;
    EXPECT_EQ(gone_mapping.reason, "deleted with the device Gate 1");
    const auto gone_correction = line_of("clock_correction");
    EXPECT_EQ(gone_correction.entity_id, correction.id);
    EXPECT_NE(gone_correction.label.find("Gate 1"), std::string::npos) << gone_correction.label;
    EXPECT_EQ(line_of("device").entity_id, gate.device.id);
}

TEST_F(DevicesTest, AnAgentDeviceNeedsAnAddressTheAgentCanReach) {
    DevicePatch p;
    p.name = "Old gate";
    p.sync_mode = domain::SyncMode::kAgent;
    EXPECT_EQ(devices_.CreateDevice(w_.admin, school_, p).error().message,
              "ip: a device the sync agent reads needs the terminal's IP address or host name");
    for (const std::string bad : {"192.168.1.300", "gate 1", "-gate.lan", "gate..lan", "http://192.168.1.201"}) {
        p.ip = bad;
        const auto refused = devices_.CreateDevice(w_.admin, school_, p);
        ASSERT_FALSE(refused.ok()) << bad;
        EXPECT_EQ(refused.error().code, core::Errc::kInvalidArgument) << bad;
        EXPECT_NE(refused.error().message.find("'" + bad + "' is not an IP address or host name"), std::string::npos)
            << refused.error().message;
    }
    for (const std::string good : {"192.168.1.201", "gate1.school.lan", "GATE-1", "fe80::1"}) {
        p.ip = good;
        p.name = "Old gate " + good;
        EXPECT_TRUE(devices_.CreateDevice(w_.admin, school_, p).ok()) << good;
    }
    p.name = "Old gate, port 0";
    p.port = 0;
    EXPECT_EQ(devices_.CreateDevice(w_.admin, school_, p).error().message, "port: must be between 1 and 65535");
    p.port = 65536;
    EXPECT_EQ(devices_.CreateDevice(w_.admin, school_, p).error().message, "port: must be between 1 and 65535");
    EXPECT_EQ(w_.Audit(school_).size(), 4U) << "only the four good devices were created";
}

TEST_F(DevicesTest, ASecondDeviceWithTheSameNameIsRefusedWhateverItsCase) {
    const auto gate = Gate();
    DevicePatch same;
    same.name = "GATE 1";
    const auto refused = devices_.CreateDevice(w_.admin, school_, same);
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, core::Errc::kConflict);
    EXPECT_EQ(refused.error().message, "name: the school already has a device called 'Gate 1'");
    const auto second = Gate();
    EXPECT_EQ(devices_.UpdateDevice(w_.admin, school_, second.device.id, same).error().code, core::Errc::kConflict);
    DevicePatch recase;
    recase.name = "GATE 1";
    EXPECT_TRUE(devices_.UpdateDevice(w_.admin, school_, gate.device.id, recase).ok()) << "a device may rename itself";
    DevicePatch elsewhere;
    elsewhere.name = "Gate 1";
    EXPECT_TRUE(devices_.CreateDevice(w_.admin, w_.School("Lake School"), elsewhere).ok()) << "names are per school";
}

}  // namespace
}  // namespace rollcall::service
