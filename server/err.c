/*
 * err.c — codes and bilingual texts for enum examd_err.
 * The codes are a published contract (docs/protocol.md): never rename one.
 */
#include "err.h"

struct err_entry {
    const char *code;
    const char *text;
};

static const struct err_entry err_table[EXAMD_ERR_COUNT_] = {
    [0] = {"ok", "thành công / ok"},
    [1] = {"internal", "máy chủ hết bộ nhớ / server out of memory"},
    [2] = {"bad_json", "thông điệp không phải đối tượng JSON / message is "
                       "not a JSON object"},
    [3] = {"bad_message", "thông điệp thiếu trường hoặc sai kiểu / missing "
                          "or wrong-typed field"},
    [4] = {"unknown_type", "loại thông điệp không hợp lệ / unknown message "
                           "type"},
    [5] = {"not_found", "không tìm thấy / not found"},
    [6] = {"forbidden", "không có quyền / forbidden"},
    [7] = {"exam_closed", "bài thi chưa mở hoặc đã đóng / the exam is not "
                          "open"},
    [8] = {"no_attempts_left", "đã hết số lượt làm bài / no attempts left"},
    [9] = {"not_on_paper", "câu hỏi không có trong đề này / question is not "
                           "on this paper"},
    [10] = {"bad_option", "lựa chọn không hợp lệ / invalid option"},
    [11] = {"bad_seq", "số thứ tự không hợp lệ / seq must be a positive "
                       "integer"},
    [12] = {"attempt_closed", "bài làm đã nộp / the attempt is closed"},
    [13] = {"too_late", "đã hết giờ làm bài / the time is up"},
    [14] = {"busy", "máy chủ đang bận, vui lòng thử lại / server busy, "
                    "retry"},
    [15] = {"internal", "lỗi máy chủ, câu trả lời chưa được lưu / internal "
                        "error, nothing was saved"},
    [16] = {"too_large", "thông điệp quá lớn / message too large"},
    [17] = {"bad_credentials", "sai tên đăng nhập hoặc mật khẩu / wrong "
                               "username or password"},
    [18] = {"not_authenticated", "chưa đăng nhập / not logged in"},
    [19] = {"bad_request", "tham số không hợp lệ / invalid argument"},
    [20] = {"internal", "lỗi đọc ghi / I/O error"},
    [21] = {"attempt_running", "bài làm chưa nộp / the attempt is still "
                               "running"},
    [22] = {"exists", "tên này đã được dùng / the name is already taken"},
    [23] = {"bad_import", "tệp có lỗi, chưa nhập gì / the file has errors, "
                          "nothing was imported"},
    [24] = {"rate_limited", "gửi quá nhiều thông điệp, chưa xử lý; vui lòng "
                            "gửi lại sau / too many messages, not processed; "
                            "send it again later"},
    [25] = {"forbidden_network",
            "bài thi này chỉ làm được từ mạng của phòng thi / this exam can "
            "only be taken from the exam room's network"},
    /* live rounds */
    [26] = {"eliminated", "bạn đã bị loại, hãy tiếp tục theo dõi / you are "
                          "out; keep watching"},
    [27] = {"already_answered", "câu này bạn đã trả lời, lần đầu được tính "
                                "/ you have answered this question; the "
                                "first answer counts"},
    [28] = {"no_question", "không có câu hỏi nào đang mở / no question is "
                           "open"},
};

static int err_index(int err)
{
    int i = -err;
    if (i < 0 || i >= EXAMD_ERR_COUNT_)
        return 15;
    return i;
}

const char *err_code(int err)
{
    return err_table[err_index(err)].code;
}

const char *err_text(int err)
{
    return err_table[err_index(err)].text;
}
