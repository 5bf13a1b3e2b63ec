/*
 * import_samples.h — one good file per import format, rich in the cases
 * that must survive a round trip (weights, escapes, HTML, feedback,
 * difficulty, points, shuffle), for test_import_trip.c.
 */
#ifndef EXAMD_IMPORT_SAMPLES_H
#define EXAMD_IMPORT_SAMPLES_H

#include "import.h"

static const struct {
    const char *name;
    int format;
    const char *text;
} import_samples[] = {
    {"gift", IMPORT_GIFT,
     "// Đề ôn tập lớp bồi dưỡng nhận thức về Đảng\n"
     "$CATEGORY: $course$/top/Lịch sử Đảng\n"
     "\n"
     "::lsd\\:001::Đảng Cộng sản Việt Nam được thành lập năm nào? {\n"
     "  ~1925 # Năm thành lập Hội Việt Nam Cách mạng Thanh niên\n"
     "  =1930\n"
     "  ~%-50%1945\n"
     "  ~%33.33333%Không rõ\n"
     "  ####Hội nghị hợp nhất họp từ 6/1 đến 7/2/1930.\n"
     "}\n"
     "\n"
     "// examd: difficulty=hard points=2 shuffle=no\n"
     "Những hình thức kỷ luật đối với đảng viên dự bị? {\n"
     "  ~%50%Khiển trách\n"
     "  ~%50%Cảnh cáo\n"
     "  ~%-100%Khai trừ\n"
     "  ~Cách chức\n"
     "}\n"
     "\n"
     "$CATEGORY: $course$/top/Tư tưởng/Hồ Chí Minh//Đạo đức\n"
     "\n"
     "Chủ tịch Hồ Chí Minh sinh năm 1890. {TRUE#Sai#Đúng vậy}\n"
     "\n"
     "[html]<p>Chọn <b>ba</b> ý<br>đúng</p> {~%33.33333%a ~%33.33333%b "
     "~%33.33333%c ~%-100%d}\n"
     "\n"
     "Năm {=1930 ~1945} Đảng ra đời.\n"
     "\n"
     "// examd: difficulty=easy\n"
     "[moodle]//Không phải chú thích \\{x\\} \\\\ 100\\% {\n"
     "  =[moodle]%50% là chữ\n"
     "  ~[moodle][html] cũng là chữ\n"
     "  ~$CATEGORY: không phải\n"
     "  ####Giải thích\\ndòng hai\n"
     "}\n"
     "\n"
     "Sáu đáp án {~%16.66667%1 ~%16.66667%2 ~%16.66667%3 ~%16.66667%4 "
     "~%16.66667%5 ~%16.66667%6}\n"},
    {"csv", IMPORT_CSV,
     "\xef\xbb\xbf"
     "Chủ đề;Mức độ;Câu hỏi;A;B;C;D;E;F;Đáp án đúng;Giải thích;Mã;Điểm\r\n"
     "Lịch sử Đảng;dễ;Đảng ra đời năm nào?;1925;1930;1945;1951;;;B;"
     "Hội nghị hợp nhất;lsd-1;\r\n"
     "Điều lệ Đảng;khó;\"Kỷ luật đảng viên dự bị;\r\n"
     "chọn \"\"tất cả\"\"\";Khiển trách;Cách chức;Cảnh cáo;Khai trừ;;;A,C;;"
     ";5\r\n"
     ";trung bình;Ba đúng;a;b;c;d;e;f;ACE;\"x\r\ny\";;\r\n"
     "Chủ đề: {khác} ~ #;;Sáu đúng;1;2;3;4;5;6;ABCDEF;;;\r\n"},
    {"aiken", IMPORT_AIKEN,
     "Đảng Cộng sản Việt Nam ra đời năm nào?\r\n"
     "A. 1925\r\n"
     "B) 1930\r\n"
     "C.\t1945\r\n"
     "ANSWER: B\r\n"
     "\r\n"
     "C.Mác và Ph.Ăngghen viết Tuyên ngôn của Đảng Cộng sản năm nào?\n"
     "(một đáp án)\n"
     "A. 1848\n"
     "B. 1867\n"
     "C. {1871} ~ = #\n"
     "D. %50% [html]\n"
     "E. 1917\n"
     "F. 1930\n"
     "ANSWER: A\n"},
    {"xml", IMPORT_MOODLEXML,
     "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<quiz>\n"
     "<question type=\"category\"><category><text>$course$/top/Lịch sử "
     "Đảng</text></category></question>\n"
     "<question type=\"multichoice\"><name><text>lsd-01</text></name>\n"
     "<questiontext format=\"html\"><text><![CDATA[<p>Đảng ra đời <b>năm "
     "nào</b>?</p><script>alert(1)</script><p>Một&nbsp;đáp án</p>]]></text>"
     "</questiontext>\n"
     "<generalfeedback format=\"html\"><text>&lt;p&gt;Năm 1930&lt;/p&gt;"
     "</text></generalfeedback><defaultgrade>2.0000000</defaultgrade>\n"
     "<single>true</single><shuffleanswers>true</shuffleanswers>\n"
     "<answer fraction=\"0\"><text>1925</text></answer>\n"
     "<answer fraction=\"100\" format=\"html\"><text>&lt;b&gt;1930&lt;/b&gt;"
     "</text><feedback><text>Đúng</text></feedback></answer>\n"
     "<answer fraction=\"-33.33333\"><text>1945</text></answer>\n"
     "<answer fraction=\"83.33333\"><text>1929</text></answer>\n"
     "<tags><tag><text>dễ</text></tag></tags></question>\n"
     "<question type=\"multichoice\"><questiontext><text>Chọn hai"
     "</text></questiontext><single>false</single>\n"
     "<answer fraction=\"50\"><text>a</text></answer>\n"
     "<answer fraction=\"50\"><text>b</text></answer>\n"
     "<answer fraction=\"-100\"><text>c</text></answer></question>\n"
     "<question type=\"truefalse\"><questiontext format=\"plain_text\">"
     "<text>a &lt; b</text></questiontext>\n"
     "<answer fraction=\"100\"><text>true</text><feedback><text>Có"
     "</text></feedback></answer>\n"
     "<answer fraction=\"0\"><text>false</text></answer></question>\n"
     "<question type=\"essay\"><questiontext><text>Bỏ qua</text>"
     "</questiontext></question>\n"
     "</quiz>\n"},
    {"native", IMPORT_NATIVE,
     "{\"format\":\"examd-bank/1\",\"bank\":\"dang\",\"title\":\"Đảng\","
     "\"questions\":[\n"
     "{\"id\":\"q1\",\"topic\":\"Lịch sử\",\"difficulty\":\"easy\","
     "\"text\":\"Năm?\",\"options\":[\"1925\",\"1930\"],\"correct\":[1]},\n"
     "{\"id\":\"q2\",\"topic\":\"Lịch sử\",\"difficulty\":\"hard\","
     "\"text\":\"Chọn\",\"options\":[\"a\",\"b\",\"c\",\"d\"],"
     "\"weights\":[33.33333,66.66667,-33.33333,0],\"points\":4,"
     "\"shuffle\":false,\"explanation\":\"vì\\nthế\"},\n"
     "{\"topic\":\"Điều lệ\",\"difficulty\":\"medium\",\"text\":\"Một "
     "mình\",\"options\":[\"a\",\"b\"],\"correct\":[0],\"multi\":true},\n"
     "{\"topic\":\"Điều lệ\",\"difficulty\":\"medium\",\"text\":\"Một phần"
     "\",\"options\":[\"a\",\"b\",\"c\"],\"correct\":[0],"
     "\"weights\":[100,12.5,-5]}\n"
     "]}\n"},
};

#endif
